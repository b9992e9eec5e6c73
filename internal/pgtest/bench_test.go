package pgtest

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkServerStart measures what one server costs: initdb, start, stop, removal.
func BenchmarkServerStart(b *testing.B) {
	binDir := binDirOrSkip(b)
	for b.Loop() {
		srv, err := startServer(binDir)
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.stop(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDatabase measures what each Start costs on a running server: CREATE DATABASE and
// its DROP, by each of PostgreSQL's strategies (WAL_LOG, the default since 15, is Start's).
func BenchmarkDatabase(b *testing.B) {
	Start(b)
	srv := shared.srv
	for _, strategy := range []string{"WAL_LOG", "FILE_COPY"} {
		b.Run(strategy, func(b *testing.B) {
			ctx := context.Background()
			n := 0
			for b.Loop() {
				n++
				db := fmt.Sprintf("bench_%s_%d", strategy, n)
				if err := srv.admin(ctx, "CREATE DATABASE "+db+" STRATEGY "+strategy, "DROP DATABASE "+db); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
