package openapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ssrmock/ssrmock/server/openapi"
	"go.yaml.in/yaml/v3"
)

// update rewrites testdata/examples.json from a live sandbox and openapi.json from
// openapi.yaml and those examples.
var update = flag.Bool("update", false, "capture fresh examples and regenerate openapi.json")

const (
	sourceFile   = "openapi.yaml"
	documentFile = "openapi.json"
	examplesFile = "testdata/examples.json"
)

// examples are real exchanges captured from a sandbox, by operation ID: the request body and
// one response body per status.
type examples map[string]*operationExamples

type operationExamples struct {
	Request   json.RawMessage            `json:"request,omitempty"`
	Responses map[string]json.RawMessage `json:"responses"`
}

// TestDocumentIsGenerated checks that openapi.json is openapi.yaml with the captured examples,
// so that nobody edits the JSON by hand or forgets to regenerate it.
func TestDocumentIsGenerated(t *testing.T) {
	if *update {
		t.Skip("regenerating: see TestLiveServer")
	}
	want, err := generate(readExamples(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(documentFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not generated from %s and %s: run go test ./server/openapi -update", documentFile, sourceFile, examplesFile)
	}
	if !bytes.Equal(openapi.Document(), got) {
		t.Errorf("the embedded document differs from %s", documentFile)
	}
}

func readExamples(t testing.TB) examples {
	t.Helper()
	data, err := os.ReadFile(examplesFile)
	if err != nil {
		t.Fatal(err)
	}
	var ex examples
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatalf("%s: %v", examplesFile, err)
	}
	return ex
}

// writeGenerated writes the captured examples and the document made from them.
func writeGenerated(t testing.TB, ex examples) {
	t.Helper()
	data, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(examplesFile, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := generate(ex)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(documentFile, doc, 0o644); err != nil {
		t.Fatal(err)
	}
}

// generate turns openapi.yaml into JSON, in the same key order, with each example attached to
// its operation's request body and responses. A response given by reference is inlined so
// that it can carry its own example.
func generate(ex examples) ([]byte, error) {
	src, err := os.ReadFile(sourceFile)
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", sourceFile, err)
	}
	doc := root.Content[0]
	ops := operations(doc)
	ids := make([]string, 0, len(ex))
	for id := range ex {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		op, ok := ops[id]
		if !ok {
			return nil, fmt.Errorf("%s has examples of operation %q, which %s does not have", examplesFile, id, sourceFile)
		}
		oe := ex[id]
		if oe.Request != nil {
			media := lookup(op, "requestBody", "content", "application/json")
			if media == nil {
				return nil, fmt.Errorf("operation %s has a request example but no JSON request body", id)
			}
			if err := setExample(media, oe.Request); err != nil {
				return nil, err
			}
		}
		statuses := make([]string, 0, len(oe.Responses))
		for s := range oe.Responses {
			statuses = append(statuses, s)
		}
		sort.Strings(statuses)
		responses := lookup(op, "responses")
		for _, status := range statuses {
			resp := value(responses, status)
			if resp == nil {
				resp = value(responses, "default")
			}
			if resp == nil {
				return nil, fmt.Errorf("operation %s has an example of status %s, which it does not document", id, status)
			}
			if ref := value(resp, "$ref"); ref != nil {
				target := resolve(doc, ref.Value)
				if target == nil {
					return nil, fmt.Errorf("operation %s: cannot resolve %s", id, ref.Value)
				}
				inlined := deepCopy(target)
				if value(responses, status) == nil {
					// An example of the default response: give it a status of its own.
					responses.Content = append(responses.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: status}, inlined)
				} else {
					*resp = *inlined
				}
				resp = inlined
			}
			media := lookup(resp, "content", "application/json")
			if media == nil {
				return nil, fmt.Errorf("operation %s: response %s has no JSON content for its example", id, status)
			}
			if err := setExample(media, oe.Responses[status]); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, doc); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// operations maps each operation ID to its node.
func operations(doc *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	paths := value(doc, "paths")
	for i := 1; paths != nil && i < len(paths.Content); i += 2 {
		item := paths.Content[i]
		for j := 0; j+1 < len(item.Content); j += 2 {
			op := item.Content[j+1]
			if id := value(op, "operationId"); id != nil {
				out[id.Value] = op
			}
		}
	}
	return out
}

// value returns the value of key in mapping node n, or nil.
func value(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = value(n, k)
	}
	return n
}

// resolve follows a local reference such as #/components/responses/BadRequest.
func resolve(doc *yaml.Node, ref string) *yaml.Node {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	return lookup(doc, strings.Split(path, "/")...)
}

func deepCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = deepCopy(child)
	}
	return &c
}

// setExample sets media's example to the JSON ex, replacing any.
func setExample(media *yaml.Node, ex json.RawMessage) error {
	var n yaml.Node
	if err := yaml.Unmarshal(ex, &n); err != nil {
		return err
	}
	if e := value(media, "example"); e != nil {
		*e = *n.Content[0]
		return nil
	}
	media.Content = append(media.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "example"}, n.Content[0])
	return nil
}

// writeJSON writes n as compact JSON, keeping the order of mapping keys.
func writeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			buf.Write(k)
			buf.WriteByte(':')
			if err := writeJSON(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!str":
			s, _ := json.Marshal(n.Value)
			buf.Write(s)
		case "!!int", "!!float":
			if _, err := strconv.ParseFloat(n.Value, 64); err != nil {
				return fmt.Errorf("line %d: %q is not a JSON number", n.Line, n.Value)
			}
			buf.WriteString(n.Value)
		case "!!bool":
			buf.WriteString(n.Value)
		case "!!null":
			if n.Value != "null" { // JSON's null; an empty YAML value is a mistake
				return fmt.Errorf("line %d: a null value; write the value, or leave the key out", n.Line)
			}
			buf.WriteString("null")
		default:
			return fmt.Errorf("line %d: scalar tag %s has no JSON form", n.Line, n.Tag)
		}
	case yaml.AliasNode:
		return writeJSON(buf, n.Alias)
	default:
		return fmt.Errorf("line %d: node kind %v has no JSON form", n.Line, n.Kind)
	}
	return nil
}
