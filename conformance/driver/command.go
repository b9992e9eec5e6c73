package driver

import (
	"errors"
	"strings"
)

// A driver command (Start's command, `ssrmock conform --driver-cmd`) is split into a program
// and its arguments and run directly, with no shell in between, on every platform:
//
//   - Unquoted spaces and tabs separate words.
//   - 'single quotes' keep everything inside as it is.
//   - "double quotes" keep everything inside as it is, except that \" is a double quote.
//   - Outside quotes, a backslash before a space, a tab, a quote or another backslash makes
//     that character part of the word; any other backslash is kept as it is, so Windows paths
//     such as C:\tools\driver.exe need no doubling.
//
// Nothing is expanded: no variables, no globs, no ~. A command that needs a shell, one with
// any of | & ; < > ( ) $ ` * ? [ ] { } ~ #, a line break, or a leading VAR=value, outside
// single quotes (and $ or ` inside double quotes), is run by the platform's shell instead:
// "sh -c" on Unix, "cmd /c" on Windows.

// errUnterminatedQuote is splitCommand's answer to a quote that is never closed.
var errUnterminatedQuote = errors.New("the command has an unterminated quote")

// shellChars are the characters that make a command need a shell when they appear unquoted.
const shellChars = "|&;<>()$`*?[]{}~#\n\r"

// splitCommand splits command into words by the rules above. needsShell reports that the
// command has shell syntax and must be run by a shell as a whole; words is then nil.
func splitCommand(command string) (words []string, needsShell bool, err error) {
	var (
		word   strings.Builder
		inWord bool
		quoted bool // the word so far has a quote or an escape in it
		quote  rune // 0, '\'' or '"'
		runes  = []rune(command)
	)
	escapable := func(r rune) bool { return r == ' ' || r == '\t' || r == '\'' || r == '"' || r == '\\' }
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch quote {
		case '\'':
			if r == '\'' {
				quote = 0
			} else {
				word.WriteRune(r)
			}
			continue
		case '"':
			switch {
			case r == '"':
				quote = 0
			case r == '\\' && i+1 < len(runes) && runes[i+1] == '"':
				word.WriteRune('"')
				i++
			case r == '$' || r == '`':
				return nil, true, nil
			default:
				word.WriteRune(r)
			}
			continue
		}
		switch {
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord, quoted = false, false
			}
		case r == '\'' || r == '"':
			quote, inWord, quoted = r, true, true
		case r == '\\' && i+1 < len(runes) && escapable(runes[i+1]):
			word.WriteRune(runes[i+1])
			inWord, quoted = true, true
			i++
		case strings.ContainsRune(shellChars, r):
			return nil, true, nil
		case r == '=' && len(words) == 0 && !quoted && isName(word.String()):
			return nil, true, nil // VAR=value before the program: an assignment for the shell
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, false, errUnterminatedQuote
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, false, nil
}

// isName reports whether s is a shell variable name: a letter or underscore, then letters,
// digits and underscores.
func isName(s string) bool {
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}
