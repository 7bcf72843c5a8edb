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

//go:generate go run ./internal/notices -out ../../THIRD_PARTY_NOTICES.md .
//go:generate go run . features --catalogue --format markdown --out ../../docs/features.md ../../../shared/corpus/authentic ../../../shared/corpus/authentic-extra

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// Exit codes that scripts can use, decided once for every command: 1 is
// not a failure but "a page was flagged", and --exit-zero folds it into 0
// for job runners that take any non-zero code for a failed task.
const (
	exitAuthentic = 0 // every page scored authentic (or the command succeeded)
	exitFlagged   = 1 // a page was flagged as spam
	exitError     = 2 // bad usage or an error
)

// exitZeroHelp documents --exit-zero for score and batch.
const exitZeroHelp = "exit 0 when pages are flagged (errors still exit 2): for job runners (Spark's pipe, Hadoop streaming, parallel --resume-failed) that take exit 1 for a failed task"

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
	// getenv reads the environment (NO_COLOR, TERM); nil reads none.
	getenv func(string) string
}

// colourFlagHelp documents --color for the commands that colour output.
const colourFlagHelp = "colour the output: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always or never"

// colour decides whether to colour standard output, from --color
// ("auto", "always" or "never") and, for auto, the conventions every
// terminal tool follows: NO_COLOR set to anything (no-color.org), or
// TERM=dumb, turns it off; otherwise only a terminal gets colour.
func (e *env) colour(flag string) (bool, error) {
	switch flag {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
	default:
		return false, usageError{fmt.Sprintf("--color %q: want auto, always or never", flag)}
	}
	if e.getenv != nil && (e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb") {
		return false, nil
	}
	return e.stdoutTerminal, nil
}

// commands lists the subcommands in the order "repack help" shows them.
func commands() []command {
	return []command{
		scoreCommand,
		featuresCommand,
		batchCommand,
		sitesCommand,
		serveCommand,
		synthCommand,
		injectCommand,
		trainCommand,
		evalCommand,
		indexCommand,
		versionCommand,
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		stdoutTerminal: isTerminal(os.Stdout), stderrTerminal: isTerminal(os.Stderr), getenv: os.Getenv}
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
	if args[0] == "--version" || args[0] == "-version" {
		return versionCommand.run(ctx, e, args[1:])
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

Exit codes: 0 authentic (or success), 1 a page was flagged (not a failure;
score and batch take --exit-zero to exit 0 then), 2 error.
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

// isTerminal reports whether f is a terminal (golang.org/x/term: a
// character device such as /dev/null is not one).
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}
