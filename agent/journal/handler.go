package journal

import (
	"context"
	"log/slog"
)

// Attribute keys that set Record.Source instead of becoming attributes,
// when their value is a string and they are not inside a group:
// logger.With("component", "mqtt") or logger.With("source", "svc:modbus").
const (
	// KeyComponent is the key STYLE.md uses: logger.With("component", name).
	KeyComponent = "component"
	// KeySource is the alternative key, named after Record.Source.
	KeySource = "source"
)

// HandlerOptions configures a Handler.
type HandlerOptions struct {
	// Level is the minimum level recorded. Default: slog.LevelInfo.
	Level slog.Leveler
	// Source is the source of records that set none. Default: SourceAgent.
	Source string
}

// Handler is an slog.Handler that appends to a Journal. Attributes are
// formatted as key=value text (as slog's TextHandler does, group keys
// joined with '.') into a pooled buffer and copied into the ring, so a
// typical call allocates nothing in the handler. To log to stderr as
// well, combine it with another handler through slog.NewMultiHandler.
type Handler struct {
	j      *Journal
	level  slog.Leveler
	source string
	prefix []byte // attributes from WithAttrs, already formatted
	group  string // qualifier for later keys: "g1.g2." or ""
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a Handler that writes to j. opts may be nil.
func NewHandler(j *Journal, opts *HandlerOptions) *Handler {
	h := &Handler{j: j, level: slog.LevelInfo, source: SourceAgent}
	if opts != nil && opts.Level != nil {
		h.level = opts.Level
	}
	if opts != nil && opts.Source != "" {
		h.source = opts.Source
	}
	return h
}

// Handler returns a Handler that writes to j (see NewHandler).
func (j *Journal) Handler(opts *HandlerOptions) *Handler { return NewHandler(j, opts) }

// Enabled reports whether records of level l are recorded.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

// Handle appends r to the journal, stamped with r.Time (slog's clock), or
// with the journal's clock when r.Time is zero. It never returns an error:
// a record that does not fit is truncated, and after Close records are
// discarded.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	bp := h.j.bufs.Get().(*[]byte)
	buf := append((*bp)[:0], h.prefix...)
	src := h.source
	limit := h.j.ring.size
	r.Attrs(func(a slog.Attr) bool {
		buf = appendAttr(buf, &src, h.group, a)
		return len(buf) <= limit
	})
	t := r.Time
	if t.IsZero() {
		t = h.j.clock.Now()
	}
	appendAt(h.j, t, r.Level, src, r.Message, buf)
	if cap(buf) <= 4*limit {
		*bp = buf[:0]
		h.j.bufs.Put(bp)
	}
	return nil
}

// WithAttrs returns a Handler whose records carry attrs; a top-level
// "component" or "source" string sets their source instead.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := *h
	h2.prefix = append([]byte(nil), h.prefix...)
	for _, a := range attrs {
		h2.prefix = appendAttr(h2.prefix, &h2.source, h.group, a)
	}
	return &h2
}

// WithGroup returns a Handler that qualifies later keys with name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.group = h.group + name + "."
	return &h2
}
