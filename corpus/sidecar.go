package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// maxSidecarBytes caps a sidecar .json file.
const maxSidecarBytes = 16 << 20

// applySidecar reads the sidecar .json of a page file, when there is one,
// into d: "url", "label", "source" and "group" to their fields, every other
// key to Meta. An unknown label is an error.
func applySidecar(d *Document, p string, opts Options) error {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return bareErr(err)
	}
	defer f.Close()
	b, err := readCappedSized(countReads(f, opts.BytesRead), fileSize(f), maxSidecarBytes)
	if err != nil {
		return bareErr(err)
	}
	fields, err := decodeObject(b)
	if err != nil {
		return err
	}
	return applyFields(d, fields, sidecarKeys)
}

// decodeObject reads one JSON object in one pass, numbers kept exact
// (json.Number) so that a document written back carries the same numbers.
func decodeObject(b []byte) (map[string]any, error) {
	var fields map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&fields); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if fields == nil {
		return nil, errors.New("not a JSON object: null")
	}
	if dec.More() {
		return nil, errors.New("not one JSON object: data after the object")
	}
	return fields, nil
}

// sidecarKeys are the keys a sidecar maps to Document fields.
var sidecarKeys = map[string]bool{"url": true, "label": true, "source": true, "group": true}

// applyFields sets d's URL, Label, Source and Group from the fields that
// name them (null or absent keeps the default), and puts every key not in
// known into Meta, with "meta" objects merged in.
func applyFields(d *Document, fields map[string]any, known map[string]bool) error {
	for _, k := range []struct {
		key string
		dst *string
	}{{"url", &d.URL}, {"source", &d.Source}, {"group", &d.Group}} {
		v, ok := fields[k.key]
		if !ok {
			continue
		}
		s, err := stringField(v)
		if err != nil {
			return fmt.Errorf("%q: %w", k.key, err)
		}
		if s != "" {
			*k.dst = s
		}
	}
	if v, ok := fields["label"]; ok {
		s, err := stringField(v)
		if err != nil {
			return fmt.Errorf("%q: %w", "label", err)
		}
		if s != "" {
			l, err := ParseLabel(s)
			if err != nil {
				return err
			}
			d.Label = l
		}
	}
	for k, v := range fields {
		if known[k] {
			continue
		}
		if k == "meta" {
			if v == nil {
				continue
			}
			m, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%q: not an object", "meta")
			}
			for mk, mv := range m {
				setMeta(d, mk, mv)
			}
			continue
		}
		setMeta(d, k, v)
	}
	return nil
}

func setMeta(d *Document, k string, v any) {
	if d.Meta == nil {
		d.Meta = map[string]any{}
	}
	d.Meta[k] = v
}

// stringField reads a JSON string, or null as "".
func stringField(v any) (string, error) {
	switch s := v.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	}
	return "", errors.New("not a string")
}
