// Command repack tells repackaged web pages (a copied story re-branded by
// a scraper-spam site) and SEO-injected pages from authentic ones, and
// shows the spans that gave them away.
//
// Usage:
//
//	repack <command> [flags] [arguments]
//
// Run "repack help" for the list of commands and "repack <command> -h" for
// a command's flags.
package main

//go:generate go run . features --catalogue --format markdown --out ../../docs/features.md ../../../shared/corpus/authentic ../../../shared/corpus/authentic-extra

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes that scripts can use.
const (
	exitAuthentic = 0 // every page scored authentic (or the command succeeded)
	exitFlagged   = 1 // a page was flagged as spam
	exitError     = 2 // bad usage or an error
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	// run executes the command with its arguments and returns the exit code.
	run func(ctx context.Context, env *env, args []string) int
}

// env is what a command may touch: its standard streams. Tests swap them.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stdoutTerminal and stderrTerminal report whether the streams are
	// terminals (colour, progress bars).
	stdoutTerminal, stderrTerminal bool
}

// commands lists the subcommands in the order "repack help" shows them.
func commands() []command {
	return []command{
		scoreCommand,
		featuresCommand,
		batchCommand,
		serveCommand,
		synthCommand,
		injectCommand,
		trainCommand,
		evalCommand,
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		stdoutTerminal: isTerminal(os.Stdout), stderrTerminal: isTerminal(os.Stderr)}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					return c.run(ctx, e, []string{"-h"})
				}
			}
		}
		usage(e.stdout)
		if len(args) == 0 {
			return exitError
		}
		return exitAuthentic
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "repack: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprint(w, `repack tells repackaged and SEO-injected web pages from authentic ones,
and shows exactly which spans gave them away.

Usage:
  repack <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "repack <command> -h" for a command's flags.

Exit codes: 0 authentic (or success), 1 a page was flagged, 2 error.
`)
}

// fail prints an error for a command and returns the error exit code.
func fail(e *env, cmd string, err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "repack %s: %v\nRun \"repack %s -h\" for usage.\n", cmd, err, cmd)
		return exitError
	}
	fmt.Fprintf(e.stderr, "repack %s: %v\n", cmd, err)
	return exitError
}

// usageError marks an error in the command line rather than the input.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
