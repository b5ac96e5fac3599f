package top

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/drover-iot/drover/fleet"
)

// Options configure Run.
type Options struct {
	Config
	// Client reaches the broker. Required.
	Client Client
	// In and Out are the terminal. Default: os.Stdin, os.Stdout.
	In  io.Reader
	Out io.Writer
	// Timeout bounds each request and, with Once, the wait for the
	// retained messages. Default: 5 s.
	Timeout time.Duration
	// Once prints one frame, once the retained messages are in, and returns.
	Once bool
}

func (o Options) withDefaults() Options {
	if o.In == nil {
		o.In = os.Stdin
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Renderer == nil {
		o.Renderer = lipgloss.NewRenderer(o.Out)
	}
	return o
}

// Run shows the fleet until the operator quits or ctx ends; both return nil.
func Run(ctx context.Context, opts Options) error {
	opts = opts.withDefaults()
	if opts.Once {
		return once(ctx, opts)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b := &clientBackend{ctx: ctx, c: opts.Client, timeout: opts.Timeout}
	opts.Backend = b
	m, err := New(opts.Config)
	if err != nil {
		return err
	}
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(opts.In), tea.WithOutput(opts.Out), tea.WithAltScreen())
	b.send = p.Send
	watched := watch(ctx, opts.Client, p.Send)
	_, err = p.Run()
	m.Stop()
	cancel()
	<-watched
	b.wait()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// watch passes the fleet's events to send until ctx ends, and a failure
// of the watch as an event with Err; the channel closes when it ends.
func watch(ctx context.Context, c Client, send func(tea.Msg)) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := c.Watch(ctx, func(evs []fleet.Event) { send(EventsMsg(evs)) }); err != nil {
			send(EventsMsg{{Err: fmt.Errorf("%w: %w", ErrWatch, err)}})
		}
	}()
	return done
}

// once waits for the retained messages and prints one frame.
func once(ctx context.Context, opts Options) error {
	m, err := New(opts.Config)
	if err != nil {
		return err
	}
	if err := collect(ctx, opts.Client, m, opts.Timeout); err != nil {
		return err
	}
	w, h := DefaultWidth, DefaultHeight
	if f, ok := opts.Out.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if tw, th, err := term.GetSize(f.Fd()); err == nil {
			w, h = tw, th
		}
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	_, err = fmt.Fprintln(opts.Out, m.View())
	return err
}

// collect feeds m the events of a watch until its Synced marker, for at
// most timeout; what came is kept.
func collect(ctx context.Context, c Client, m *Model, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := c.Watch(ctx, func(evs []fleet.Event) {
		m.Update(EventsMsg(evs))
		if m.Synced() {
			cancel()
		}
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrWatch, err)
	}
	return nil
}
