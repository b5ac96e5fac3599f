package client

import "testing"

func TestFollowTTLSeconds(t *testing.T) {
	tests := []struct{ in, want int }{
		{0, 30},
		{-5, 30},
		{1, 1},
		{60, 60},
		{600, 600},
		{3600, 600},               // the device grants at most 10 minutes
		{int(^uint(0) >> 1), 600}, // no overflow into a negative ticker period
	}
	for _, tt := range tests {
		if got := followTTLSeconds(tt.in); got != tt.want {
			t.Errorf("followTTLSeconds(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
