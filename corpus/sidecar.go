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
	b, err := readCapped(countReads(f, opts.BytesRead), maxSidecarBytes)
	if err != nil {
		return bareErr(err)
	}
	fields, err := decodeObject(b)
	if err != nil {
		return err
	}
	return applyFields(d, fields, sidecarKeys)
}

// decodeObject reads one JSON object into its raw fields.
func decodeObject(b []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
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
func applyFields(d *Document, fields map[string]json.RawMessage, known map[string]bool) error {
	for _, k := range []struct {
		key string
		dst *string
	}{{"url", &d.URL}, {"source", &d.Source}, {"group", &d.Group}} {
		raw, ok := fields[k.key]
		if !ok {
			continue
		}
		s, err := stringField(raw)
		if err != nil {
			return fmt.Errorf("%q: %w", k.key, err)
		}
		if s != "" {
			*k.dst = s
		}
	}
	if raw, ok := fields["label"]; ok {
		s, err := stringField(raw)
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
	for k, raw := range fields {
		if known[k] {
			continue
		}
		if k == "meta" {
			if err := mergeMeta(d, raw); err != nil {
				return fmt.Errorf("%q: %w", "meta", err)
			}
			continue
		}
		v, err := decodeValue(raw)
		if err != nil {
			return fmt.Errorf("%q: %w", k, err)
		}
		if d.Meta == nil {
			d.Meta = map[string]any{}
		}
		d.Meta[k] = v
	}
	return nil
}

// mergeMeta merges a "meta" object into d.Meta.
func mergeMeta(d *Document, raw json.RawMessage) error {
	if string(bytes.TrimSpace(raw)) == "null" {
		return nil
	}
	v, err := decodeValue(raw)
	if err != nil {
		return err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return errors.New("not an object")
	}
	if d.Meta == nil {
		d.Meta = map[string]any{}
	}
	for k, x := range m {
		d.Meta[k] = x
	}
	return nil
}

// stringField reads a JSON string, or null as "".
func stringField(raw json.RawMessage) (string, error) {
	if string(bytes.TrimSpace(raw)) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errors.New("not a string")
	}
	return s, nil
}

// decodeValue decodes a JSON value keeping numbers exact (json.Number),
// so that a document written back carries the same numbers.
func decodeValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
