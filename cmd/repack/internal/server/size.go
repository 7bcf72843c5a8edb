package server

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseByteSize reads a size such as "5MB", "512KiB", "64k" or "1048576".
// The units are binary: K, KB and KiB are 1024 bytes, M, MB and MiB
// 1024², G, GB and GiB 1024³; a bare number is bytes.
func ParseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	upper := strings.ToUpper(t)
	mult := int64(1)
	for _, u := range []struct {
		suffixes []string
		mult     int64
	}{
		{[]string{"KIB", "KB", "K"}, 1 << 10},
		{[]string{"MIB", "MB", "M"}, 1 << 20},
		{[]string{"GIB", "GB", "G"}, 1 << 30},
		{[]string{"B"}, 1},
	} {
		matched := false
		for _, suf := range u.suffixes {
			if strings.HasSuffix(upper, suf) {
				upper = strings.TrimSpace(strings.TrimSuffix(upper, suf))
				mult, matched = u.mult, true
				break
			}
		}
		if matched {
			break
		}
	}
	n, err := strconv.ParseInt(upper, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number of bytes, optionally with K, M or G (binary units), such as 5MB", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return n * mult, nil
}
