package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus collectors, on a registry of its
// own (never the global one, so that two servers in one test process do
// not collide). Labels are fixed sets (endpoint patterns, status codes,
// verdict labels): never a URL or anything a client chose.
type metrics struct {
	registry        *prometheus.Registry
	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	inFlight        prometheus.Gauge
	bodyBytes       *prometheus.HistogramVec
	scoreDuration   prometheus.Histogram
	pagesScored     *prometheus.CounterVec
	modelReloads    *prometheus.CounterVec
	modelInfo       *prometheus.GaugeVec
	// exposition serves the registry.
	exposition http.Handler
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "repack_http_requests_total",
			Help: "HTTP requests answered, by endpoint pattern and status code.",
		}, []string{"endpoint", "code"}),
		requestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "repack_http_request_duration_seconds",
			Help:    "Time from the request's headers to the end of its response, by endpoint pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"endpoint"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "repack_http_requests_in_flight",
			Help: "Requests being served now (including those about to be refused with 429).",
		}),
		bodyBytes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "repack_http_request_body_bytes",
			Help:    "Request body sizes read, by endpoint pattern (a body cut at the limit counts as the limit).",
			Buckets: prometheus.ExponentialBuckets(256, 4, 10), // 256 B to 64 MiB
		}, []string{"endpoint"}),
		scoreDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "repack_score_duration_seconds",
			Help:    "Time to parse, extract and score one page, waiting for a CPU slot included.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		pagesScored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "repack_pages_scored_total",
			Help: "Pages scored, by verdict label.",
		}, []string{"label"}),
		modelReloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "repack_model_reloads_total",
			Help: "Model loads (at start and on SIGHUP), by result: loaded or refused.",
		}, []string{"result"}),
		modelInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "repack_model_info",
			Help: "1 for the model in use, labelled with its version.",
		}, []string{"version"}),
	}
	m.registry.MustRegister(m.requests, m.requestDuration, m.inFlight, m.bodyBytes,
		m.scoreDuration, m.pagesScored, m.modelReloads, m.modelInfo,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.exposition = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return m
}
