package aedat

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestReadLabelsReal(t *testing.T) {
	data := readTestdata(t, "user01_natural_labels.csv")
	labels, err := ReadLabels(bytes.NewReader(data), "user01_natural_labels.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != 12 {
		t.Fatalf("%d labels, want 12", len(labels))
	}
	count := map[int]int{}
	for i, l := range labels {
		count[l.Class]++
		if i > 0 && l.Start < labels[i-1].Start {
			t.Errorf("labels not sorted by Start at %d", i)
		}
		if l.End <= l.Start {
			t.Errorf("label %d: %+v", i, l)
		}
	}
	for c := 1; c <= 11; c++ {
		want := 1
		if c == 8 {
			want = 2
		}
		if count[c] != want {
			t.Errorf("class %d: %d rows, want %d", c, count[c], want)
		}
	}
	// Rows 4 and 5 hold classes 5 and 4: sorted by time, not by class.
	if labels[3] != (Label{5, 87200306, 97835393}) || labels[4] != (Label{4, 98139978, 106541442}) {
		t.Errorf("labels[3:5] = %v", labels[3:5])
	}
}

func TestReadLabelsSorts(t *testing.T) {
	in := "class,startTime_usec,endTime_usec\r\n3,500,600\r\n1,100,200\r\n3,100,150\r\n"
	got, err := ReadLabels(strings.NewReader(in), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []Label{{1, 100, 200}, {3, 100, 150}, {3, 500, 600}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestReadLabelsBad(t *testing.T) {
	const hdr = "class,startTime_usec,endTime_usec\n"
	tests := []struct {
		name, in string
		line     string
		msg      string
	}{
		{"empty", "", "line 1", "empty"},
		{"bad header", "class,start,end\n1,2,3\n", "line 1", "header"},
		{"two fields", hdr + "1,2,3\n4,5\n", "line 3", "2 fields"},
		{"four fields", hdr + "1,2,3,4\n", "line 2", "4 fields"},
		{"not an integer", hdr + "1,2,3\n1,2.5,3\n", "line 3", "not an integer"},
		{"end before start", hdr + "1,20,3\n", "line 2", "not after"},
		{"end equals start", hdr + "1,20,20\n", "line 2", "not after"},
		{"negative class", hdr + "-1,2,3\n", "line 2", "class -1"},
		{"negative start", hdr + "1,-2,3\n", "line 2", "negative start"},
		{"bad quote", hdr + "1,\"2,3\n", "line 2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadLabels(strings.NewReader(tt.in), "labels.csv")
			if errKind(err) != "format" {
				t.Fatalf("err = %v, want a FormatError", err)
			}
			s := err.Error()
			if !strings.Contains(s, "labels.csv") || !strings.Contains(s, tt.line+":") ||
				!strings.Contains(s, tt.msg) {
				t.Errorf("err = %q, want file, %q and %q", s, tt.line, tt.msg)
			}
		})
	}
}
