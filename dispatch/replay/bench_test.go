package replay

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

func benchmarkRead(b *testing.B, data []byte, opt Options) {
	b.Helper()
	res, err := Read(bytes.NewReader(data), "bench.csv", opt)
	if err != nil {
		b.Fatal(err)
	}
	rows := len(res.Records)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() { // b.Loop excludes the set-up above from the timing
		if _, err := Read(bytes.NewReader(data), "bench.csv", opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadLaDe reads the 13,993-row Jilin union file from memory.
func BenchmarkReadLaDe(b *testing.B) {
	data, err := os.ReadFile(ladeFile(b, "delivery_jl_union.csv"))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkRead(b, data, Options{Year: 2022})
}

// BenchmarkReadGeneric reads 10,000 generated generic rows from memory.
func BenchmarkReadGeneric(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(genericHeader)
	platforms := []string{"jd", "taobao", "pinduoduo"}
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&buf, "o%d,%s,%s,2024-06-18T%02d:%02d:00+08:00,%.5f,%.5f,parcel,%.2f,%.4f,,\n",
			i, platforms[i%3], []string{"1p", "3p"}[i%2], 8+i%12, i%60, 116.3+float64(i%2000)*1e-4, 39.85+float64(i%1500)*1e-4,
			0.2+float64(i%50)*0.1, 0.001+float64(i%40)*0.001)
	}
	benchmarkRead(b, buf.Bytes(), Options{})
}
