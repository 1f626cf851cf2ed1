package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/outputs"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

func ExampleTimestamp() {
	origin := report.Origin(nil, time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC))
	fmt.Println(report.Timestamp(origin, 14*60+5.5))
	fmt.Println(report.Timestamp(origin, -60)) // a warm-up order, the evening before
	fmt.Println(report.RouteID("open", 17))
	// Output:
	// 2025-03-18T14:05:30+08:00
	// 2025-03-17T23:00:00+08:00
	// open-17
}

// A program writes a run folder all or nothing: it adds every path before the run, then writes each file.
func ExampleRunFolder() {
	dir := os.TempDir()
	set := outputs.New(os.Stdout)
	defer set.Abort()
	for _, name := range report.RunFolderNames() {
		if err := set.Add(filepath.Join(dir, name), "--out"); err != nil {
			fmt.Println(err)
			return
		}
	}
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := dispatch.Compare(context.Background(), dispatch.Options{Scenario: sc, Policies: []string{"closed", "open"}, Seed: 1, Orders: 2000})
	if err != nil {
		fmt.Println(err)
		return
	}
	files, err := report.RunFolder(c, report.RunFolderOptions{Info: report.RunInfo{Command: os.Args, Seeds: []uint64{1}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		if err := set.WriteFile(filepath.Join(dir, f.Name), f.Write); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := set.Commit(); err != nil {
		fmt.Println(err)
	}
}
