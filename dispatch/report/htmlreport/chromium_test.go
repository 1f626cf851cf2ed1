package htmlreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
)

// chromiumPath finds Debian's chromium, skipping the test when it is missing, except in CI (CI=true), where
// the acceptance test must run: .ci/run installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install chromium); CI must run the browser test")
	}
	t.Skip("chromium is not installed (apt-get install chromium): skipping the headless browser test")
	return ""
}

// countingProxy accepts and counts every connection the browser makes through its proxy: the page must
// make none. It answers nothing, so a request that did leave would fail.
type countingProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []string
}

func newCountingProxy(t *testing.T) *countingProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &countingProxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
			buf := make([]byte, 200)
			n, _ := c.Read(buf)
			line, _, _ := strings.Cut(string(buf[:n]), "\r\n")
			p.mu.Lock()
			p.conns = append(p.conns, line)
			p.mu.Unlock()
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return p
}

func (p *countingProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.conns...)
}

// browser runs headless chromium on a file with every connection sent to the proxy (loopback too) and
// returns its stdout and stderr.
func browser(t *testing.T, bin, proxy string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	all := append([]string{"--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--force-device-scale-factor=1", "--proxy-server=" + proxy, "--proxy-bypass-list=<-loopback>",
		"--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--enable-logging=stderr", "--v=0",
		"--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, all...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, tail(e.String(), 2000))
	}
	return o.String(), e.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// measureScript records, in the dumped DOM, each chart's box in page pixels and the page's height. It is
// added to a copy of the page for measuring only: the page itself has no script.
const measureScript = `<script>
const boxes = {};
for (const f of document.querySelectorAll("figure.chart svg")) {
  const r = f.getBoundingClientRect();
  boxes[f.closest("figure").id] = [r.left + scrollX, r.top + scrollY, r.width, r.height].map(Math.round);
}
document.body.setAttribute("data-boxes", JSON.stringify(boxes));
document.body.setAttribute("data-height", String(document.documentElement.scrollHeight));
</script>`

var (
	consoleRE = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)
	boxesRE   = regexp.MustCompile(`data-boxes="([^"]*)"`)
	heightRE  = regexp.MustCompile(`data-height="(\d+)"`)
	// browserOwnRE matches a proxied request line to one of Chromium's own service hosts.
	browserOwnRE = regexp.MustCompile(`^(GET|POST|CONNECT) (https?://)?[a-z0-9.-]*\.(google\.com|googleapis\.com|gvt1\.com)[:/]`)
)

// TestChromium renders the default compare's page (closed vs open, testOrders orders) in headless
// Chromium with networking disabled and checks: no console message (a blocked load or a script error
// would log one), no connection to the proxy, every chart area non-blank in the screenshot, and the
// report's headline figures in the page's text. HTMLREPORT_KEEP=DIR keeps the page and the screenshot.
func TestChromium(t *testing.T) {
	bin := chromiumPath(t)
	c := comparison(t)
	html := render(t, htmlreport.FromComparison(c, meta()))
	dir := t.TempDir()
	if keep := os.Getenv("HTMLREPORT_KEEP"); keep != "" {
		dir = keep
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	page := filepath.Join(dir, "report.html")
	measure := filepath.Join(dir, "measure.html")
	shot := filepath.Join(dir, "screenshot.png")
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	m := strings.Replace(html, "default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';", 1)
	m = strings.Replace(m, "</body>", measureScript+"</body>", 1)
	if err := os.WriteFile(measure, []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	proxy := newCountingProxy(t)
	const width = 1240

	// 1. The page itself: its DOM text and the browser's console.
	dom, logs := browser(t, bin, proxy.ln.Addr().String(), "--window-size=1240,2000", "--dump-dom", "file://"+page)
	if msgs := consoleRE.FindAllString(logs, -1); len(msgs) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(msgs, "\n"))
	}
	text := pageText(dom)
	for _, h := range headlines(&c.Report) {
		if !strings.Contains(text, h) {
			t.Errorf("rendered page text lacks headline %q", h)
		}
	}

	// 2. Where the charts are, from the measuring copy.
	mdom, _ := browser(t, bin, proxy.ln.Addr().String(), fmt.Sprintf("--window-size=%d,2000", width), "--dump-dom", "file://"+measure)
	bm, hm := boxesRE.FindStringSubmatch(mdom), heightRE.FindStringSubmatch(mdom)
	if bm == nil || hm == nil {
		t.Fatalf("the measuring script left no boxes in the DOM:\n%s", tail(mdom, 500))
	}
	var boxes map[string][4]int
	if err := json.Unmarshal([]byte(strings.ReplaceAll(bm[1], "&quot;", `"`)), &boxes); err != nil {
		t.Fatal(err)
	}
	var height int
	fmt.Sscan(hm[1], &height)
	if len(boxes) < 9 || height < 1000 {
		t.Fatalf("got %d charts on a page %d px high", len(boxes), height)
	}

	// 3. A screenshot of the whole page, and the variance of each chart's pixels.
	_, logs = browser(t, bin, proxy.ln.Addr().String(), fmt.Sprintf("--window-size=%d,%d", width, height), "--screenshot="+shot, "file://"+page)
	if msgs := consoleRE.FindAllString(logs, -1); len(msgs) > 0 {
		t.Errorf("console messages while taking the screenshot:\n%s", strings.Join(msgs, "\n"))
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for id, b := range boxes {
		r := image.Rect(b[0], b[1], b[0]+b[2], b[1]+b[3])
		if !r.In(img.Bounds()) {
			t.Errorf("%s: box %v outside the screenshot %v", id, r, img.Bounds())
			continue
		}
		v, ink := pixelStats(img, r)
		t.Logf("%-22s box %v: luminance variance %.0f, %.1f%% of pixels not white", id, b, v, ink*100)
		if v < 100 || ink < 0.02 {
			t.Errorf("%s looks blank: variance %.1f, %.2f%% inked", id, v, ink*100)
		}
	}
	// Chromium itself calls home (clock, component updates, accounts) even with background networking off;
	// those go to Google's hosts, which the page never names. Anything else came from the page.
	var own, fromPage []string
	for _, r := range proxy.requests() {
		if browserOwnRE.MatchString(r) {
			own = append(own, r)
		} else {
			fromPage = append(fromPage, r)
		}
	}
	if len(own) > 0 {
		t.Logf("ignored %d connections of the browser's own services", len(own))
	}
	if len(fromPage) > 0 {
		t.Errorf("the page made %d network connections: %q", len(fromPage), fromPage)
	}
	t.Logf("page %d bytes; screenshot %s (%dx%d)", len(html), shot, img.Bounds().Dx(), img.Bounds().Dy())
}

// pixelStats returns the variance of the luminance (0-255) over r and the share of pixels darker than
// near-white.
func pixelStats(img image.Image, r image.Rectangle) (variance, inked float64) {
	var n, dark float64
	var sum, sum2 float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			l := (0.299*float64(cr) + 0.587*float64(cg) + 0.114*float64(cb)) / 257
			sum += l
			sum2 += l * l
			n++
			if l < 240 {
				dark++
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	mean := sum / n
	return sum2/n - mean*mean, dark / n
}
