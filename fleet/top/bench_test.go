package top

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/jonboulle/clockwork"
	"github.com/muesli/termenv"

	"github.com/drover-iot/drover/fleet"
)

// benchFleet is n devices, each with a state, a birth document and the
// fixture's busy status snapshot.
func benchFleet(n int) EventsMsg {
	evs := make(EventsMsg, 0, 3*n+1)
	for i := range n {
		dev := fmt.Sprintf("pi-%d", i)
		snap := *busySnapshot()
		snap.Device, snap.Uptime = dev, float64(i*37)
		evs = append(evs, fleet.Event{Device: dev, Kind: fleet.KindState, State: fleet.StateOnline},
			fleet.Event{Device: dev, Kind: fleet.KindInfo, Info: &fleet.InfoDoc{ID: dev, Version: "v1.4.2",
				Labels: map[string]string{"rack": fmt.Sprint(i % 8)}}},
			fleet.Event{Device: dev, Kind: fleet.KindStatus, Status: &snap})
	}
	return append(evs, fleet.Event{Synced: true})
}

// BenchmarkFrame1000 draws the table of 1,000 devices at 120x40 in
// colour, with one device's status changing before each frame, so that
// every frame filters and sorts the whole fleet again (the worst case:
// the live view redraws after each batch of messages).
func BenchmarkFrame1000(b *testing.B) {
	for _, key := range []sortKey{byID, byFailing} {
		b.Run("sort="+key.String(), func(b *testing.B) {
			r := lipgloss.NewRenderer(nil)
			r.SetColorProfile(termenv.TrueColor)
			m, err := New(Config{Clock: clockwork.NewFakeClockAt(t0), Renderer: r})
			if err != nil {
				b.Fatal(err)
			}
			m.Update(benchFleet(1000))
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			m.table.sort = key
			change := EventsMsg{{Device: "pi-500", Kind: fleet.KindState, State: fleet.StateLost}}
			b.ReportAllocs()
			for b.Loop() {
				m.Update(change)
				_ = m.View()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/frame")
		})
	}
}

// BenchmarkApply1000 folds the retained burst of 1,000 devices (3,000
// messages) into a new model.
func BenchmarkApply1000(b *testing.B) {
	evs := benchFleet(1000)
	b.ReportAllocs()
	for b.Loop() {
		m, _ := New(Config{Clock: clockwork.NewFakeClockAt(t0)})
		m.Update(evs)
	}
}
