// Package k8s holds the Kubernetes manifests that run a carriersim plan as an Indexed Job and merge it
// (docs/scale-out.md); its test decodes them strictly into Kubernetes' own API types.
package k8s
