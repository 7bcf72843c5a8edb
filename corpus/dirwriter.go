package corpus

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// DirWriter writes documents as a directory that Read reads back: each
// body to a file named by the document's ID (.html, or .txt for text),
// and its URL, label, source, group and Meta to a sidecar .json beside it
// (Meta keys at the top level, as the reader expects them).
type DirWriter struct {
	root    string
	written map[string]string // file path -> ID that wrote it
}

// NewDirWriter returns a writer into root, creating it.
func NewDirWriter(root string) (*DirWriter, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", root, err)
	}
	return &DirWriter{root: root, written: map[string]string{}}, nil
}

// pageName returns the relative file name a document is written to: its
// ID when that is a clean relative path with the right extension, else
// the ID with unsafe characters replaced and the extension added.
func pageName(d Document) (string, error) {
	ext := ".html"
	if d.Format == FormatText {
		ext = ".txt"
	}
	name := d.ID
	if k := kindOf(name); (k == kindHTML && ext == ".html") || (k == kindText && ext == ".txt") {
		if name == path.Clean(name) && !path.IsAbs(name) && !strings.HasPrefix(name, "../") {
			return name, nil
		}
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.', r == '/':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	parts := strings.Split(b.String(), "/")
	kept := parts[:0]
	for _, p := range parts {
		if p != "" && p != "." && p != ".." {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return "", errors.New("an empty ID names no file")
	}
	return strings.Join(kept, "/") + ext, nil
}

// Write writes one document's body and, when it has any, its sidecar. Two
// documents that would write the same file are refused.
func (w *DirWriter) Write(d Document) error {
	if d.Err != nil {
		return fmt.Errorf("write %s: document has a read error: %w", d.ID, d.Err)
	}
	name, err := pageName(d)
	if err != nil {
		return fmt.Errorf("write %q: %w", d.ID, err)
	}
	side := strings.TrimSuffix(name, path.Ext(name)) + ".json"
	for _, n := range []string{name, side} {
		if prev, ok := w.written[n]; ok {
			return fmt.Errorf("write %s: %s was already written for %s", d.ID, n, prev)
		}
	}
	fields := map[string]any{}
	for k, v := range d.Meta {
		if sidecarKeys[k] || k == "meta" {
			return fmt.Errorf("write %s: Meta key %q would read back as a field", d.ID, k)
		}
		fields[k] = v
	}
	for k, v := range map[string]string{"url": d.URL, "label": string(d.Label), "source": d.Source, "group": d.Group} {
		if v != "" {
			fields[k] = v
		}
	}
	p := filepath.Join(w.root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", d.ID, err)
	}
	if err := os.WriteFile(p, d.Body, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", d.ID, err)
	}
	w.written[name] = d.ID
	if len(fields) == 0 {
		return nil
	}
	b, err := json.MarshalIndent(fields, "", " ")
	if err != nil {
		return fmt.Errorf("write %s: sidecar: %w", d.ID, err)
	}
	if err := os.WriteFile(filepath.Join(w.root, filepath.FromSlash(side)), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: sidecar: %w", d.ID, err)
	}
	w.written[side] = d.ID
	return nil
}
