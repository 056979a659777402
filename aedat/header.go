package aedat

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// The text header of AEDAT 1.0, 2.0 and 3.1 files is a run of lines that begin with '#'
// and end with LF or CRLF. Lines may be long (jAER dumps its preferences XML into the
// header, 300 KB and more); only the first hdrKeep bytes of a line are looked at and the
// rest is skipped, so memory stays bounded.
//
// Where the header ends:
//
//   - 3.1: at the "#!END-HEADER" line, which is required. Every line before it must
//     begin with '#'.
//   - 1.0 and 2.0: at the first line that does not begin with '#', or right after a
//     line "#End Of ASCII Header" (jAER writes it), whichever comes first. Binary data
//     may begin with the byte 0x23 ('#') by accident; a candidate line that holds a
//     control byte (below 0x20 other than tab, CR and LF, or 0x7F) in its first
//     hdrBufSize bytes is taken for binary data and ends the header. This heuristic
//     cannot be perfect: a first record that starts with '#' and holds only printable
//     bytes up to a LF would be read as a header line.
const (
	hdrBufSize = 64 << 10 // bufio buffer size, and the look-ahead for one header line
	hdrKeep    = 4 << 10  // bytes of a header line kept for parsing
)

// sensorSize is the pixel array of a chip.
type sensorSize struct {
	chip          string
	width, height int
}

// hdrInfo is what a text header tells.
type hdrInfo struct {
	bytes   int64  // header length
	aeChip  string // 1.0/2.0: the "# AEChip:" class name
	format  string // 3.1: the "#Format:" value
	sources map[int]sensorSize
	first   int // 3.1: the lowest source ID with a recognised chip, or -1
}

// sensorFromName recognises a chip by a jAER class name or an AEDAT 3.1 source
// description: names containing DVS128 (or the older Tmpdiff128), DAVIS240 or DAVIS346,
// in any case.
func sensorFromName(s string) (sensorSize, bool) {
	u := strings.ToUpper(s)
	switch {
	case strings.Contains(u, "DVS128"), strings.Contains(u, "TMPDIFF128"):
		return sensorSize{"DVS128", 128, 128}, true
	case strings.Contains(u, "DAVIS240"):
		return sensorSize{"DAVIS240", 240, 180}, true
	case strings.Contains(u, "DAVIS346"):
		return sensorSize{"DAVIS346", 346, 260}, true
	}
	return sensorSize{}, false
}

// isHeaderText reports whether b holds no control bytes other than tab, CR and LF.
func isHeaderText(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F {
			return false
		}
	}
	return true
}

// trimEOL removes a trailing LF or CRLF.
func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// scanHeader consumes the text header from br, which must be at the start of the file,
// and calls line for each header line (without its line end, cut to hdrKeep bytes). With
// needEnd (3.1) the header must end with "#!END-HEADER". It returns the header length.
func scanHeader(br *bufio.Reader, name string, needEnd bool, line func([]byte)) (int64, error) {
	var off int64
	for {
		p, _ := br.Peek(br.Size())
		if len(p) == 0 || p[0] != '#' {
			if needEnd {
				if len(p) == 0 {
					return off, formatErr(name, off, "header ends without #!END-HEADER")
				}
				return off, formatErr(name, off,
					"header line does not begin with '#' before #!END-HEADER")
			}
			return off, nil
		}
		i := bytes.IndexByte(p, '\n')
		l := p
		if i >= 0 {
			l = p[:i+1]
		}
		if !needEnd && !isHeaderText(l) {
			return off, nil // binary data that begins with '#'
		}
		text := l
		if len(text) > hdrKeep {
			text = text[:hdrKeep]
		}
		text = trimEOL(text)
		line(text)
		end := string(text) == "#!END-HEADER"
		jaerEnd := strings.EqualFold(strings.TrimSpace(string(text)), "#End Of ASCII Header")
		switch {
		case i >= 0:
			_, _ = br.Discard(i + 1)
			off += int64(i + 1)
		default:
			// A line longer than the buffer, or the last line of the file: skip to
			// its end.
			for len(p) > 0 {
				if j := bytes.IndexByte(p, '\n'); j >= 0 {
					_, _ = br.Discard(j + 1)
					off += int64(j + 1)
					break
				}
				_, _ = br.Discard(len(p))
				off += int64(len(p))
				p, _ = br.Peek(br.Size())
			}
		}
		if (needEnd && end) || (!needEnd && jaerEnd) {
			return off, nil
		}
	}
}

// readTextHeader reads the header of a 1.0, 2.0 or 3.1 file and collects what it says.
func readTextHeader(br *bufio.Reader, name, version string) (*hdrInfo, error) {
	h := &hdrInfo{sources: make(map[int]sensorSize), first: -1}
	needEnd := version == "3.1"
	n, err := scanHeader(br, name, needEnd, func(l []byte) {
		s := string(l)
		switch {
		case !needEnd:
			// "# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128"
			t := strings.TrimSpace(strings.TrimPrefix(s, "#"))
			if rest, ok := strings.CutPrefix(t, "AEChip:"); ok && h.aeChip == "" {
				h.aeChip = strings.TrimSpace(rest)
			}
		case strings.HasPrefix(s, "#Format:"):
			h.format = strings.TrimSpace(strings.TrimPrefix(s, "#Format:"))
		case strings.HasPrefix(s, "#Source "):
			// "#Source 1: DVS128"; old sources are written "#-Source" and ignored.
			idText, desc, ok := strings.Cut(strings.TrimPrefix(s, "#Source "), ":")
			id, err := strconv.Atoi(strings.TrimSpace(idText))
			if !ok || err != nil || id < 0 || id > 1<<15 {
				return
			}
			desc = strings.TrimSpace(desc)
			sz, known := sensorFromName(desc)
			if !known {
				sz = sensorSize{chip: desc}
			} else {
				sz.chip = desc
			}
			if _, dup := h.sources[id]; dup {
				return
			}
			h.sources[id] = sz
			if known && (h.first < 0 || id < h.first) {
				h.first = id
			}
		}
	})
	h.bytes = n
	return h, err
}
