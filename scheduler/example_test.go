package scheduler_test

import (
	"context"
	"fmt"

	"github.com/drover-iot/drover/scheduler"
)

// A job names a registered handler; the schedule is text (or built with
// the fluent API), and the scheduler's Run goroutine fires it.
func Example() {
	reg := scheduler.NewRegistry()
	done := make(chan struct{})
	reg.MustRegister("greet", func(ctx context.Context, run scheduler.Run) error {
		fmt.Println("hello,", run.Args["who"])
		close(done)
		return scheduler.ErrCancelJob // one greeting is enough
	})

	s := scheduler.New(reg) // add WithStore(scheduler.NewFileStore(path)) to persist
	err := s.Add(scheduler.JobDef{
		Name:    "hello",
		Spec:    "every 50ms jitter 10ms",
		Handler: "greet",
		Args:    map[string]any{"who": "world"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	go s.Run(context.Background())
	<-done
	fmt.Println("close:", s.Close(), "jobs left:", len(s.Jobs()))
	// Output:
	// hello, world
	// close: <nil> jobs left: 0
}
