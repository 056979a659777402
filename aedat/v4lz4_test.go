package aedat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/pierrec/lz4/v4"
)

// refLZ4 decompresses packets with the LZ4 frame reader alone, one reader for all
// packets, each read through bytes.Buffer.ReadFrom up to one byte past the cap: the
// behaviour that v4Reader.decompress must match.
type refLZ4 struct {
	lz  *lz4.Reader
	src bytes.Reader
	dec bytes.Buffer
}

func (d *refLZ4) decompress(raw []byte, maxDecoded int64) ([]byte, error) {
	d.src.Reset(raw)
	if d.lz == nil {
		d.lz = lz4.NewReader(&d.src)
	} else {
		d.lz.Reset(&d.src)
	}
	d.dec.Reset()
	lim := io.LimitedReader{R: d.lz, N: maxDecoded + 1}
	if _, err := d.dec.ReadFrom(&lim); err != nil {
		return nil, fmt.Errorf("corrupt LZ4 packet: %v", err)
	}
	if int64(d.dec.Len()) > maxDecoded {
		return nil, fmt.Errorf("packet decompresses past %d bytes", maxDecoded)
	}
	return d.dec.Bytes(), nil
}

// lz4Outcome is what decompressing one packet gave: its bytes or the fault's message.
type lz4Outcome struct {
	data string
	err  string
}

// compareLZ4 decompresses pkts in turn, up to the first fault, with a v4Reader and with
// refLZ4, and fails unless every outcome agrees. It reports whether the v4Reader left
// lz4Fast for the frame reader.
func compareLZ4(t *testing.T, name string, maxDecoded int64, pkts ...[]byte) (slow bool) {
	t.Helper()
	r := &v4Reader{readerBase: readerBase{name: "lz4"}, comp: v4CompressLZ4,
		maxDecoded: maxDecoded}
	var ref refLZ4
	for i, p := range pkts {
		var got, want lz4Outcome
		out, err := r.decompress(p)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("%s: packet %d: error %v is not a *FormatError", name, i, err)
			}
			got.err = fe.Msg
		} else {
			got.data = string(out)
		}
		if out, err := ref.decompress(p, maxDecoded); err != nil {
			want.err = err.Error()
		} else {
			want.data = string(out)
		}
		if got != want {
			t.Fatalf("%s: packet %d: got %d bytes, error %q; want %d bytes, error %q",
				name, i, len(got.data), got.err, len(want.data), want.err)
		}
		if got.err != "" {
			break
		}
	}
	return r.lz != nil
}

// lz4Block is one block of a hand-made LZ4 frame.
type lz4Block struct {
	data   []byte
	stored bool // stored uncompressed
}

// lz4Frame builds an LZ4 frame with the given FLG and BD bytes, the content size when
// flg asks for it, and the blocks.
func lz4Frame(flg, bd byte, size uint64, blocks ...lz4Block) []byte {
	le := binary.LittleEndian
	f := le.AppendUint32(nil, lz4FrameMagic)
	f = append(f, flg, bd)
	if flg&0x08 != 0 {
		f = le.AppendUint64(f, size)
	}
	f = append(f, byte(xxh32Short(f[4:])>>8))
	for _, b := range blocks {
		n := uint32(len(b.data))
		if b.stored {
			n |= 1 << 31
		}
		f = append(le.AppendUint32(f, n), b.data...)
	}
	return le.AppendUint32(f, 0)
}

// Blocks in the LZ4 block format, by hand. backRef copies 4 bytes from 10 bytes before
// the block, then has the literals "hello": it decodes only with history.
var (
	backRef   = lz4Block{data: []byte{0x00, 10, 0, 0x50, 'h', 'e', 'l', 'l', 'o'}}
	farRef    = lz4Block{data: []byte{0x00, 0xff, 0xff, 0x50, 'f', 'a', 'r', '!', '!'}}
	stored20  = lz4Block{data: []byte("0123456789ABCDEFGHIJ"), stored: true}
	linkedFLG = byte(0x40)
	indepFLG  = byte(0x60)
)

func TestXXH32Short(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint32
	}{{"", 0x02CC5D05}, {"a", 0x550D7456}, {"abc", 0x32D153FF}} {
		if got := xxh32Short([]byte(tc.in)); got != tc.want {
			t.Errorf("xxh32(%q) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
	// The frame reader accepts the descriptor checksums it makes.
	for _, flg := range []byte{0x40, 0x60, 0x48, 0x68} {
		for bd := byte(0x40); bd <= 0x70; bd += 0x10 {
			f := lz4Frame(flg, bd, 0)
			if ok, err := lz4.ValidFrameHeader(f); !ok || err != nil {
				t.Errorf("FLG %#x BD %#x: frame header rejected: %v", flg, bd, err)
			}
		}
	}
}

// realLZ4Packets returns the event packets of the real file, as stored.
func realLZ4Packets(t testing.TB) [][]byte {
	data := realV4(t)
	_, _, _, layout := v4Layout(t, data)
	var pkts [][]byte
	for _, p := range layout {
		if p.stream == 0 {
			pkts = append(pkts, data[p.off+8:p.off+8+int64(p.size)])
		}
	}
	return pkts
}

func TestLZ4RealPackets(t *testing.T) {
	pkts := realLZ4Packets(t)
	if slow := compareLZ4(t, "real", v4MaxDecoded, pkts...); slow {
		t.Error("the real file's packets left the direct decoder")
	}
	// Caps below, at and above the size of the first packets.
	var ref refLZ4
	first, _ := ref.decompress(pkts[0], v4MaxDecoded)
	for _, max := range []int64{4096, 65536, int64(len(first)) - 1, int64(len(first)),
		int64(len(first)) + 1, 200_000} {
		compareLZ4(t, fmt.Sprintf("cap %d", max), max, pkts[:4]...)
	}
}

// TestLZ4History checks that the history of linked blocks carries over from packet to
// packet, as the frame reader keeps it, through the direct decoder and through the
// frame reader after a packet that only the frame reader decodes.
func TestLZ4History(t *testing.T) {
	checksummed := func(s string) []byte {
		var b bytes.Buffer
		w := lz4.NewWriter(&b)
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	real := realLZ4Packets(t)
	tests := []struct {
		name string
		pkts [][]byte
		slow bool
	}{
		{"linked then linked", [][]byte{lz4Frame(linkedFLG, 0x40, 0, stored20),
			lz4Frame(linkedFLG, 0x40, 0, backRef)}, false},
		{"linked then independent", [][]byte{lz4Frame(linkedFLG, 0x40, 0, stored20),
			lz4Frame(indepFLG, 0x40, 0, backRef)}, false},
		{"independent adds no history", [][]byte{lz4Frame(indepFLG, 0x40, 0, stored20),
			lz4Frame(linkedFLG, 0x40, 0, backRef)}, true},
		{"no history", [][]byte{lz4Frame(linkedFLG, 0x40, 0, backRef)}, true},
		{"history through the frame reader", [][]byte{
			lz4Frame(linkedFLG, 0x40, 0, stored20), checksummed("checksummed frame"),
			lz4Frame(linkedFLG, 0x40, 0, backRef), lz4Frame(linkedFLG, 0x40, 0, backRef)},
			true},
		{"64 KiB back", append(real[:2:2], lz4Frame(linkedFLG, 0x40, 0, farRef)), false},
		{"64 KiB back after the frame reader",
			append(real[:2:2], checksummed("x"), lz4Frame(linkedFLG, 0x40, 0, farRef)), true},
		{"one block back", [][]byte{lz4Frame(linkedFLG, 0x40, 0, stored20, backRef)}, false},
		{"one block back, independent",
			[][]byte{lz4Frame(indepFLG, 0x40, 0, stored20, backRef)}, true},
	}
	for _, tc := range tests {
		if slow := compareLZ4(t, tc.name, v4MaxDecoded, tc.pkts...); slow != tc.slow {
			t.Errorf("%s: frame reader used: %v, want %v", tc.name, slow, tc.slow)
		}
	}
	// The first case decodes with the history of the packet before.
	r := &v4Reader{comp: v4CompressLZ4, maxDecoded: v4MaxDecoded}
	if _, err := r.decompress(tests[0].pkts[0]); err != nil {
		t.Fatal(err)
	}
	if out, err := r.decompress(tests[0].pkts[1]); err != nil || string(out) != "ABCDhello" {
		t.Errorf("back reference: %q, %v; want ABCDhello", out, err)
	}
}

// TestLZ4Frames checks frames of every kind against the frame reader.
func TestLZ4Frames(t *testing.T) {
	data := []byte("0123456789ABCDEFGHIJ abcdefghij 0123456789ABCDEFGHIJ")
	comp := make([]byte, lz4.CompressBlockBound(len(data)))
	n, err := lz4.CompressBlock(data, comp, nil)
	if err != nil || n == 0 {
		t.Fatalf("CompressBlock: %d, %v", n, err)
	}
	blk := lz4Block{data: comp[:n]}
	big := bytes.Repeat([]byte{7}, 70_000)
	write := func(opts ...lz4.Option) []byte {
		var b bytes.Buffer
		w := lz4.NewWriter(&b)
		if err := w.Apply(opts...); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	good := lz4Frame(linkedFLG, 0x40, 0, blk, stored20)
	skippable := append(binary.LittleEndian.AppendUint32(
		binary.LittleEndian.AppendUint32(nil, 0x184D2A53), 3), 1, 2, 3)
	cases := map[string][]byte{
		"good":              good,
		"content size":      lz4Frame(linkedFLG|0x08, 0x40, uint64(len(data)+20), blk, stored20),
		"wrong size":        lz4Frame(linkedFLG|0x08, 0x40, 5, blk),
		"256 KiB blocks":    lz4Frame(linkedFLG, 0x50, 0, blk),
		"4 MiB blocks":      lz4Frame(indepFLG, 0x70, 0, blk),
		"no blocks":         lz4Frame(linkedFLG, 0x40, 0),
		"empty stored":      lz4Frame(linkedFLG, 0x40, 0, lz4Block{stored: true}),
		"stored too big":    lz4Frame(linkedFLG, 0x40, 0, lz4Block{data: big, stored: true}),
		"block size 8 MiB":  lz4Frame(linkedFLG, 0x30, 0, blk),
		"reserved FLG bit":  lz4Frame(linkedFLG|0x02, 0x40, 0, blk),
		"reserved BD bit":   lz4Frame(linkedFLG, 0xC0, 0, blk),
		"dictionary ID":     lz4Frame(linkedFLG|0x01, 0x40, 0, blk),
		"version 2":         lz4Frame(0x80, 0x40, 0, blk),
		"bad checksum":      append(good[:6:6], append([]byte{good[6] ^ 1}, good[7:]...)...),
		"trailing byte":     append(bytes.Clone(good), 0),
		"two frames":        append(bytes.Clone(good), good...),
		"skippable first":   append(skippable, good...),
		"block checksums":   write(lz4.BlockChecksumOption(true)),
		"content checksum":  write(lz4.ChecksumOption(true)),
		"writer, no sums":   write(lz4.ChecksumOption(false)),
		"writer, with size": write(lz4.ChecksumOption(false), lz4.SizeOption(uint64(len(data)))),
		"legacy":            write(lz4.LegacyOption(true)),
		"not LZ4":           []byte("not an LZ4 frame"),
	}
	for name, f := range cases {
		compareLZ4(t, name, v4MaxDecoded, f, good)
		compareLZ4(t, name+" second", v4MaxDecoded, good, f, good)
		// Cut through the header and first block, and elsewhere in long frames.
		for i := range len(f) {
			if i < 40 || i%997 == 0 || i > len(f)-8 {
				compareLZ4(t, fmt.Sprintf("%s cut at %d", name, i), v4MaxDecoded, f[:i], good)
			}
		}
	}
}

// TestLZ4Corrupt checks the real packets with random bytes changed against the frame
// reader.
func TestLZ4Corrupt(t *testing.T) {
	real := realLZ4Packets(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		pkts := make([][]byte, 3)
		for k := range pkts {
			pkts[k] = bytes.Clone(real[k])
		}
		p := pkts[rng.IntN(3)]
		for range 1 + rng.IntN(4) {
			j := rng.IntN(len(p))
			if rng.IntN(3) == 0 {
				j = rng.IntN(min(len(p), 16)) // the frame header
			}
			p[j] ^= byte(1 + rng.IntN(255))
		}
		compareLZ4(t, fmt.Sprintf("mutation %d", i), v4MaxDecoded, pkts...)
	}
}

// FuzzLZ4 compares the decoding of a packet, after a real one, with the frame reader's.
func FuzzLZ4(f *testing.F) {
	real := realLZ4Packets(f)
	f.Add(real[1][:min(len(real[1]), 2000)])
	f.Add(lz4Frame(linkedFLG, 0x40, 0, stored20, backRef))
	f.Add(lz4Frame(indepFLG, 0x40, 0, farRef))
	f.Add(lz4Frame(linkedFLG|0x08, 0x40, 29, stored20, backRef))
	f.Fuzz(func(t *testing.T, pkt []byte) {
		compareLZ4(t, "fuzz", v4MaxDecoded, real[0], pkt, lz4Frame(linkedFLG, 0x40, 0, farRef))
	})
}
