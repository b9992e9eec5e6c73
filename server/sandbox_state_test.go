package server

import (
	"context"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

func TestTouchKeepsUseToItsGrain(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	sb := &Sandbox{ID: "touch-test", store: store.NewMemory(store.Options{})} // not in the store: its Touch fails, as the request goes on
	sb.touch(context.Background(), t0)
	for _, step := range []struct {
		at   time.Time
		want time.Time
	}{
		{t0.Add(usedGrain - 1), t0},                   // within the grain: left be
		{t0.Add(usedGrain), t0.Add(usedGrain)},        // a grain on: noted
		{t0.Add(time.Hour), t0.Add(time.Hour)},        // an hour on: noted
		{t0.Add(30 * time.Minute), t0.Add(time.Hour)}, // an earlier instant never moves it back
	} {
		sb.touch(context.Background(), step.at)
		if got := sb.idleSince(); !got.Equal(step.want) {
			t.Errorf("after a use at %v: idle since %v, want %v", step.at, got, step.want)
		}
	}
}
