package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// exitInterrupted is the exit status after Ctrl-C, as a shell reports a SIGINT.
const exitInterrupted = 130

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := newApp().RunContext(ctx, os.Args)
	switch {
	case err == nil:
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(os.Stderr, "snnsim:", err)
		os.Exit(exitInterrupted)
	default:
		fmt.Fprintln(os.Stderr, "snnsim:", err)
		os.Exit(1)
	}
}

// newApp returns the command-line application.
func newApp() *cli.App {
	return &cli.App{
		Name:  "snnsim",
		Usage: "simulate and train spiking neural networks of LIF neurons",
		Description: "snnsim runs layered networks of leaky integrate-and-fire neurons.\n" +
			"Clocked mode steps every neuron through time in mini-batches and trains\n" +
			"with feedback alignment and the SuperSpike surrogate gradient. Event mode\n" +
			"streams event-camera recordings through a network, updating a neuron only\n" +
			"when a spike reaches it.",
		Commands:  []*cli.Command{runCommand(), profileCommand(), inspectCommand()},
		Writer:    os.Stdout,
		ErrWriter: os.Stderr,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return fmt.Errorf("unknown command %q (want run, profile or inspect; see snnsim --help)",
					c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return fmt.Errorf("%w (see snnsim --help)", err)
		},
	}
}
