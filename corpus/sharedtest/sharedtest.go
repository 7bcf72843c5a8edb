// Package sharedtest locates the shared data directory (../shared beside the
// repository: the authentic corpus and the real spam examples) for tests.
// Under CI=true a missing directory fails the test loudly; elsewhere the
// test is skipped with the reason. The data are read in place, never copied
// into the project.
//
// It is imported by tests only and imports nothing of repack.
package sharedtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the absolute path of the shared directory: $REPACK_SHARED
// when set, else ../shared beside the module root.
func Root() string {
	if d := os.Getenv("REPACK_SHARED"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	// file is <module>/corpus/sharedtest/sharedtest.go
	module := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	return filepath.Join(filepath.Dir(module), "shared")
}

// Dir returns the path of sub (e.g. "corpus/authentic") inside the shared
// directory. When it is missing, the test fails under CI=true and is
// skipped otherwise.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	p := filepath.Join(Root(), sub)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data %s is missing (CI=true requires it): %v", p, err)
		}
		t.Skipf("shared data %s is missing: %v", p, err)
	}
	return p
}

// Glob returns the files matching pattern inside the shared directory,
// failing (under CI=true) or skipping when there are none.
func Glob(t testing.TB, pattern string) []string {
	t.Helper()
	root := Dir(t, ".")
	files, err := filepath.Glob(filepath.Join(root, pattern))
	if err != nil {
		t.Fatalf("glob %s: %v", pattern, err)
	}
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no shared files match %s under %s", pattern, root)
		}
		t.Skipf("no shared files match %s under %s", pattern, root)
	}
	return files
}
