package aedat_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/snnsim/snnsim/aedat"
)

func ExampleOpen() {
	// The real header of a jAER recording, whose events were replaced by a line of '$'.
	f, err := aedat.Open("testdata/dvs128_jaer_header_only.aedat")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	info := f.Info()
	fmt.Println(info.Version, info.Chip, info.Width, info.Height)
	n := 0
	for f.Next() {
		n++
	}
	fmt.Println(n, "events, skipped", f.Skipped())
	var fe *aedat.FormatError
	if errors.As(f.Err(), &fe) {
		fmt.Printf("corrupt at byte %d: %s\n", fe.Offset, fe.Msg)
	}
	// Output:
	// 2.0 DVS128 128 128
	// 0 events, skipped map[special:4]
	// corrupt at byte 4273: truncated record: 6 of 8 bytes before end of file
}

func ExampleNewWriter() {
	var buf bytes.Buffer
	w, err := aedat.NewWriter(&buf, aedat.Info{Chip: "DVS128"})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range []aedat.Event{{Time: 10, X: 1, Y: 2, On: true}, {Time: 20, X: 3, Y: 4}} {
		if err := w.Write(e); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	r, err := aedat.NewReader(&buf, "memory")
	if err != nil {
		log.Fatal(err)
	}
	for r.Next() {
		fmt.Printf("%+v\n", r.Event())
	}
	fmt.Println(r.Info().Version, r.Info().Chip, r.Err())
	// Output:
	// {Time:10 X:1 Y:2 On:true}
	// {Time:20 X:3 Y:4 On:false}
	// 3.1 DVS128 <nil>
}

func ExampleReadLabels() {
	f, err := os.Open("testdata/user01_natural_labels.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	labels, err := aedat.ReadLabels(f, f.Name())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(labels), labels[0])
	// Output: 12 {1 53036986 59508469}
}

func ExampleReader_read() {
	f, err := aedat.Open("testdata/davis346_aestream.aedat4")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var n, on int
	buf := make([]aedat.Event, 4096)
	for k := f.Read(buf); k > 0; k = f.Read(buf) {
		for _, e := range buf[:k] {
			if e.On {
				on++
			}
		}
		n += k
	}
	if err := f.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "events,", on, "ON")
	// Output: 117667 events, 72363 ON
}
