package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
	"github.com/ssrmock/ssrmock/server/store/storetest"
)

// crashFileEnv names the state file a crash child writes to: set, the test binary is a
// crash child instead of running tests.
const crashFileEnv = "STORE_CRASH_CHILD_FILE"

// crashJournal is the crash test's journal size: more than its children write in all.
const crashJournal = 2000

// crashChild opens the state file and, until it is killed, journals an entry and moves a
// counter in the state, printing each pair of acknowledged writes: "ack SEQ VERSION COUNT".
func crashChild(path string) {
	s, err := store.OpenSQLite(path, store.Options{JournalSize: crashJournal})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	ctx := context.Background()
	for {
		seq, err := s.Append(ctx, "a", store.JournalEntry{Route: "token", Status: 200})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		st, v, err := s.Update(ctx, "a", func(st *store.State) error { st.NextFault++; return nil })
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Printf("ack %d %d %d\n", seq, v, st.NextFault)
	}
}

// TestSQLiteCrash kills a process writing to a state file with SIGKILL at random moments,
// three times: each time the file opens again at once (the lock went with the process), and
// every write the process had acknowledged is there.
func TestSQLiteCrash(t *testing.T) {
	ctx := context.Background()
	path := tempFile(t)
	s := openSQLite(t, path)
	must(t, s.Create(ctx, storetest.Sandbox("a"), store.State{}, 10))
	must(t, s.Close())
	rng := rand.New(rand.NewPCG(13, 9))
	var acked struct{ seq, version, count int }
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashFileEnv+"="+path)
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		lines := bufio.NewScanner(out)
		killAt := 20 + rng.IntN(300)
		for n := 0; n < killAt && lines.Scan(); n++ {
			if _, err := fmt.Sscanf(lines.Text(), "ack %d %d %d", &acked.seq, &acked.version, &acked.count); err != nil {
				t.Fatalf("round %d: the child said %q", round, lines.Text())
			}
		}
		must(t, cmd.Process.Kill())
		cmd.Wait()

		s, err := store.OpenSQLite(path, store.Options{JournalSize: crashJournal})
		if err != nil {
			t.Fatalf("round %d: reopening after SIGKILL: %v", round, err)
		}
		p, err := s.Journal(ctx, "a", 0, crashJournal)
		must(t, err)
		st, v, err := s.Load(ctx, "a")
		must(t, err)
		must(t, s.Close())
		for i, e := range p.Entries {
			if e.Seq != i+1 {
				t.Fatalf("round %d: entry %d is numbered %d", round, i+1, e.Seq)
			}
		}
		if len(p.Entries) < acked.seq || v < int64(acked.version) || st.NextFault < acked.count {
			t.Errorf("round %d: killed after acknowledging entry %d, version %d, count %d; found %d entries, version %d, count %d",
				round, acked.seq, acked.version, acked.count, len(p.Entries), v, st.NextFault)
		}
		t.Logf("round %d: killed after %d acknowledged pairs of writes; %d entries kept", round, killAt, len(p.Entries))
	}
}
