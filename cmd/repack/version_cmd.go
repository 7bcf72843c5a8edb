package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/detector/record"
	"github.com/repack/repack/features/source"
)

var versionCommand = command{
	name:    "version",
	summary: "print repack's version, its build and the embedded model's",
	run:     runVersion,
}

// versionInfo is what `repack version` prints.
type versionInfo struct {
	// Version is the module version ("(devel)" for a build from a
	// checkout), Revision and Time the commit it was built from, Modified
	// whether the checkout had uncommitted changes.
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
	CGO      string `json:"cgo"`
	// Model is the embedded default model's version and hash.
	Model     string `json:"model"`
	ModelHash string `json:"model_hash"`
	// Schemas are the versions of the formats repack writes.
	VerdictSchema int `json:"verdict_schema"`
	RecordSchema  int `json:"record_schema"`
	ModelFormat   int `json:"model_format"`
	IndexFormat   int `json:"index_format"`
	// Index is the embedded story index's checksum and size.
	Index string `json:"index"`
}

func buildVersion() versionInfo {
	v := versionInfo{Version: "(unknown)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH, CGO: "unknown",
		VerdictSchema: detector.VerdictSchema, RecordSchema: record.Schema, ModelFormat: detector.FormatVersion, IndexFormat: source.FormatVersion}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v.Version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.Time = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			case "CGO_ENABLED":
				v.CGO = s.Value
			}
		}
	}
	if m, err := detector.DefaultModel(); err == nil {
		v.Model, v.ModelHash = m.Version, m.Hash
	} else {
		v.Model = "unreadable: " + err.Error()
	}
	if ix, err := detector.DefaultIndex(); err == nil {
		v.Index = fmt.Sprintf("%s (%d stories)", ix.Checksum(), ix.Len())
	} else {
		v.Index = "unreadable: " + err.Error()
	}
	return v
}

func runVersion(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "version", `Usage: repack version [--format text|json]

Prints repack's version (the module version, and the commit and time of
a build from a checkout), the Go toolchain and platform it was built
with, the embedded default model's version and hash, the embedded story
index's checksum, and the versions of
the formats repack writes. "repack --version" prints the same.
`)
	format := fs.String("format", "text", "output format: text or json")
	if code, done := parseNoArgs(e, fs, args); done {
		return code
	}
	v := buildVersion()
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return fail(e, "version", err)
		}
	case "text":
		rev := ""
		if v.Revision != "" {
			rev = fmt.Sprintf(" (%s, %s", v.Revision, v.Time)
			if v.Modified {
				rev += ", modified"
			}
			rev += ")"
		}
		fmt.Fprintf(e.stdout, "repack %s%s\n%s %s, cgo %s\nmodel %s (%s)\nstory index %s\nformats: verdict %d, batch record %d, model file %d, story index %d\n",
			v.Version, rev, v.Go, v.Platform, v.CGO, v.Model, v.ModelHash, v.Index, v.VerdictSchema, v.RecordSchema, v.ModelFormat, v.IndexFormat)
	default:
		return fail(e, "version", usageError{fmt.Sprintf("--format %q: want text or json", *format)})
	}
	return exitAuthentic
}
