package server

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/signal"
)

// maxCommentBytes caps a feedback comment.
const maxCommentBytes = 4096

// feedbackRequest is the body of POST /v1/feedback: a person's report
// that a verdict is wrong, written to the feedback file as it came but
// for received_at, which the server sets. The page itself (html or text)
// is optional; it is the only page content the server ever stores. The
// file's lines are corpus.Feedback, which `repack train feedback:FILE`
// reads.
type feedbackRequest corpus.Feedback

// feedbackLog appends records to a JSONL file, one writer at a time.
type feedbackLog struct {
	path string
	mu   sync.Mutex
}

// openFeedbackLog checks that the file can be created or appended to.
func openFeedbackLog(path string) (*feedbackLog, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("feedback file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("feedback file: %w", err)
	}
	return &feedbackLog{path: path}, nil
}

// append writes one record as one line. The file is opened for each
// record, so that it can be rotated while the server runs.
func (l *feedbackLog) append(rec corpus.Feedback) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode feedback: %w", err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.OpenFile(l.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("feedback file: %w", err)
	}
	if err := appendLine(f, line); err != nil {
		f.Close()
		return fmt.Errorf("append to feedback file %s: %w", l.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("append to feedback file %s: %w", l.path, err)
	}
	return nil
}

// appendFile is what appendLine needs of an open file.
type appendFile interface {
	io.Writer
	Stat() (fs.FileInfo, error)
	Truncate(size int64) error
}

// appendLine appends line, or nothing: a write that fails part way (a full
// disk) is cut back, since a torn line would glue the next report to it.
func appendLine(f appendFile, line []byte) error {
	var before int64 = -1
	if fi, err := f.Stat(); err == nil {
		before = fi.Size()
	}
	n, err := f.Write(line)
	if err != nil && n > 0 && before >= 0 {
		_ = f.Truncate(before)
	}
	return err
}

// validLabel reports whether s is a label a verdict can carry.
func validLabel(s string) bool {
	switch s {
	case detector.LabelAuthentic, string(signal.Repackaged), string(signal.Injected):
		return true
	}
	return false
}

// check validates a feedback request.
func (f *feedbackRequest) check() *apiError {
	bad := func(msg string) *apiError { return newError(http.StatusBadRequest, codeBadRequest, msg) }
	switch {
	case f.ReceivedAt != "":
		return bad("received_at is set by the server, not sent")
	case !validLabel(f.LabelClaimed):
		return bad(fmt.Sprintf("label_claimed %q: want authentic, repackaged or injected", f.LabelClaimed))
	case f.VerdictLabel != "" && !validLabel(f.VerdictLabel):
		return bad(fmt.Sprintf("verdict_label %q: want authentic, repackaged or injected", f.VerdictLabel))
	case f.HTML != nil && f.Text != nil:
		return newError(http.StatusBadRequest, codeAmbiguousPage, `send either "html" or "text", not both`)
	case strings.TrimSpace(f.URL) == "" && f.HTML == nil && f.Text == nil:
		return bad(`feedback needs the page's "url", or the page as "html" or "text"`)
	case len(f.Comment) > maxCommentBytes:
		return bad(fmt.Sprintf("comment is %d bytes; the limit is %d", len(f.Comment), maxCommentBytes))
	case len(f.VerdictModel) > 256:
		return bad("verdict_model is longer than 256 bytes")
	}
	u, err := checkPageURL(f.URL)
	if err != nil {
		return err
	}
	f.URL = u
	return checkClientToken(f.ClientToken)
}

func (s *Server) handleFeedback(w http.ResponseWriter, r *http.Request) {
	if s.feedback == nil {
		s.fail(w, r, newError(http.StatusNotFound, codeFeedbackDisabled, "feedback is not collected by this server (start it with --feedback FILE)"))
		return
	}
	mediaType, aerr := parseContentType(r.Header.Get("Content-Type"))
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	if mediaType != "application/json" {
		s.fail(w, r, newError(http.StatusUnsupportedMediaType, codeUnsupportedType,
			fmt.Sprintf("Content-Type %q: /v1/feedback reads application/json", mediaType)).with("content_type", mediaType))
		return
	}
	body, aerr := s.readBody(w, r, "/v1/feedback", s.cfg.MaxBodyBytes)
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	var req feedbackRequest
	if aerr := decodeJSON(body, &req); aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	if aerr := req.check(); aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	rec := corpus.Feedback(req)
	rec.ReceivedAt = time.Now().UTC().Format(time.RFC3339Nano)
	if err := s.feedback.append(rec); err != nil {
		s.log.Error("feedback not recorded", "err", err)
		s.fail(w, r, newError(http.StatusInternalServerError, codeFeedbackWriteFail, "the feedback could not be recorded; the server log has the details"))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"status": "recorded", "received_at": rec.ReceivedAt})
}
