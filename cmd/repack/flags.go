package main

import (
	"flag"
	"fmt"
)

// newFlagSet returns a command's flag set: errors and help go to the
// command's standard error, and -h prints usage (the command's text, then
// its flags).
func newFlagSet(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fmt.Fprint(fs.Output(), "\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses a command's arguments with flags allowed anywhere
// among the positional ones, as most command-line tools allow ("repack
// score page.html --format json"); "--" ends the flags, so that a file
// named like a flag can still be given. It returns the positional
// arguments in order, or done with the exit code when the command must
// stop: 0 after -h, 2 after a bad flag (the flag package has printed why).
func parseFlags(fs *flag.FlagSet, args []string) (pos []string, code int, done bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, exitAuthentic, true
			}
			return nil, exitError, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, false
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), 0, false
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseNoArgs is parseFlags for a command that takes no positional
// arguments: one is a usage error, reported under the command's name.
func parseNoArgs(e *env, fs *flag.FlagSet, args []string) (code int, done bool) {
	pos, code, done := parseFlags(fs, args)
	if done {
		return code, true
	}
	if len(pos) != 0 {
		return fail(e, fs.Name(), usageError{fmt.Sprintf("unexpected argument %q", pos[0])}), true
	}
	return 0, false
}
