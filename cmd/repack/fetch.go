package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxRedirects bounds the redirects followed when fetching a page.
const maxRedirects = 5

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

type fetched struct {
	body        []byte
	contentType string
	finalURL    string
}

// fetchURL gets a page with a timeout, a size cap and a redirect limit,
// and records the URL it ended at.
func fetchURL(ctx context.Context, rawURL string, timeout time.Duration) (fetched, error) {
	client := &http.Client{
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fetched{}, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", "repack/1 (+https://github.com/repack/repack)")
	req.Header.Set("Accept", "text/html,text/plain;q=0.9,*/*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return fetched{}, fmt.Errorf("fetch %s: timed out after %s", rawURL, timeout)
		}
		return fetched{}, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fetched{}, fmt.Errorf("fetch %s: HTTP %s", rawURL, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxInputBytes))
	if err != nil {
		return fetched{}, fmt.Errorf("fetch %s: reading body: %w", rawURL, err)
	}
	return fetched{body: body, contentType: resp.Header.Get("Content-Type"), finalURL: resp.Request.URL.String()}, nil
}
