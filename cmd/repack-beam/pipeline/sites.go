package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/repack/repack/detector/record"
	"github.com/repack/repack/detector/sites"
)

// SitesSuffix names the site rows' file: OUTPUT.sites-00000-of-00001.jsonl,
// which a glob of the record shards (OUTPUT-*.jsonl, as repack sites is
// given them) does not take in.
const SitesSuffix = ".sites"

// RollUpSites groups the scored pages by host and writes one row a host,
// the rows `repack sites --format jsonl` prints for the same records
// (detector/sites: pages, errors, flagged and flagged share, kinds, top
// cues, examples), into one file, PREFIX.sites-00000-of-00001.jsonl. The
// rows are in no particular order: a reader sorts them (by flagged_share,
// as repack sites does), or runs repack sites over the record shards.
func RollUpSites(s beam.Scope, prefix string, scored beam.PCollection) {
	byHost := beam.ParDo(s.Scope("KeyByHost"), keyByHost, scored)
	grouped := beam.GroupByKey(s.Scope("GroupByHost"), byHost)
	rows := beam.ParDo(s.Scope("RollUp"), rollUpHost, grouped)
	Write(s.Scope("WriteSites"), prefix+SitesSuffix, 1, rows)
}

// keyByHost keys a record line by its host (sites.HostOf of its URL):
// the site moderators act on, finer than the registrable domain the
// Key stage uses.
func keyByHost(s Scored) (string, string, error) {
	var r struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal([]byte(s.Line), &r); err != nil {
		return "", "", fmt.Errorf("site rollup: a record line is not JSON: %w", err)
	}
	return sites.HostOf(r.URL), s.Line, nil
}

// rollUpHost tallies one host's records and emits its row. The tally keeps
// counts and at most sites.MaxExamples examples, whatever the host's size.
func rollUpHost(host string, lines func(*string) bool, emit func(Scored)) error {
	var t sites.Tally
	var line string
	for lines(&line) {
		var r record.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return fmt.Errorf("site rollup of %s: a record line is not a record: %w", host, err)
		}
		t.Add(r)
	}
	var b bytes.Buffer
	if err := sites.WriteJSONL(&b, t.Sites(sites.Options{})); err != nil {
		return fmt.Errorf("site rollup of %s: %w", host, err)
	}
	for _, row := range bytes.Split(bytes.TrimSuffix(b.Bytes(), []byte("\n")), []byte("\n")) {
		emit(Scored{Line: string(row)})
	}
	return nil
}

func registerSites() {
	register.Function1x3(keyByHost)
	register.Function3x1(rollUpHost)
	register.Iter1[string]()
}
