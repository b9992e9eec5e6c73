package driver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxLine bounds one request line read by Serve.
const maxLine = 1 << 20

// Serve speaks the protocol over JSON lines: it reads one request per line from in, performs it
// on d and writes one reply per line to out, one operation at a time. It returns nil at the end
// of in, ctx.Err() if ctx ends first, or the error that stopped reading or writing.
//
// A line that cannot be understood is answered with ok:false (id 0 if it has none) and Serve
// carries on. Logs belong on stderr: out is for replies only. When ctx ends first, the
// goroutine reading in may stay blocked until in yields a line or ends.
func Serve(ctx context.Context, d Driver, in io.Reader, out io.Writer) error {
	lines := make(chan []byte)
	readErr := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 0, 64<<10), maxLine)
		for sc.Scan() {
			line := append([]byte(nil), sc.Bytes()...)
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
		}
		readErr <- sc.Err()
	}()
	w := bufio.NewWriter(out)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-readErr:
			return err
		case line := <-lines:
			if len(trimSpace(line)) == 0 {
				continue
			}
			w.Write(serveLine(ctx, d, line))
			w.WriteByte('\n')
			if err := w.Flush(); err != nil {
				return fmt.Errorf("driver: writing reply: %w", err)
			}
		}
	}
}

// serveLine performs the request of one line and returns its reply.
func serveLine(ctx context.Context, d Driver, line []byte) []byte {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		var probe struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal(line, &probe)
		return encodeFailure(&probe.ID, fmt.Errorf("bad request line: %v", err))
	}
	id := req.ID
	if req.Op == "" {
		return encodeFailure(&id, errors.New(`request has no "op"`))
	}
	v, err := dispatch(ctx, d, req.Op, req)
	if err != nil {
		return encodeFailure(&id, err)
	}
	b, err := encodeReply(&id, v)
	if err != nil {
		return encodeFailure(&id, fmt.Errorf("encoding reply: %v", err))
	}
	return b
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r' || b[len(b)-1] == '\n') {
		b = b[:len(b)-1]
	}
	return b
}
