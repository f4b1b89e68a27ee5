// influx_export writes the line-protocol dump that `influx_inspect export` of InfluxDB 1.x
// writes, for tests: Debian's influxdb package ships influxd without influx_inspect, so this
// reads the same files (TSM files under -datadir, WAL segments under -waldir) through
// InfluxDB's own tsm1 package (golang-github-influxdb-influxdb-dev) and prints the same
// sections: "# DDL" with CREATE DATABASE … WITH NAME …, then "# DML" with
// "# CONTEXT-DATABASE:" / "# CONTEXT-RETENTION-POLICY:" before each shard's points.
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o influx_export .
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/influxdata/influxdb/models"
	"github.com/influxdata/influxdb/tsdb/engine/tsm1"
)

type shard struct{ db, rp, id string }

// Field keys escape commas, equals signs and spaces in line protocol.
var fieldKeyEscaper = strings.NewReplacer(",", `\,`, "=", `\=`, " ", `\ `)

func main() {
	dataDir := flag.String("datadir", "", "TSM data directory")
	walDir := flag.String("waldir", "", "WAL directory")
	out := flag.String("out", "", "output file")
	compress := flag.Bool("compress", false, "gzip the output")
	flag.Parse()
	if err := run(*dataDir, *walDir, *out, *compress); err != nil {
		fmt.Fprintln(os.Stderr, "influx_export:", err)
		os.Exit(1)
	}
}

func run(dataDir, walDir, out string, compress bool) error {
	file, err := os.Create(out)
	if err != nil {
		return err
	}
	defer file.Close()
	var sink io.Writer = file
	if compress {
		zw := gzip.NewWriter(file)
		defer zw.Close()
		sink = zw
	}
	w := bufio.NewWriter(sink)
	defer w.Flush()

	shards, err := findShards(dataDir)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "# INFLUXDB EXPORT: 1677-09-21T00:12:43Z - 2262-04-11T23:47:16Z")
	fmt.Fprintln(w, "# DDL")
	seen := map[string]bool{}
	for _, s := range shards {
		if !seen[s.db+"\x00"+s.rp] {
			seen[s.db+"\x00"+s.rp] = true
			fmt.Fprintf(w, "CREATE DATABASE %s WITH NAME %s\n", s.db, s.rp)
		}
	}
	fmt.Fprintln(w, "# DML")
	for _, s := range shards {
		fmt.Fprintf(w, "# CONTEXT-DATABASE:%s\n# CONTEXT-RETENTION-POLICY:%s\n", s.db, s.rp)
		tsms, _ := filepath.Glob(filepath.Join(dataDir, s.db, s.rp, s.id, "*.tsm"))
		sort.Strings(tsms)
		if len(tsms) > 0 {
			fmt.Fprintln(w, "# writing tsm data")
		}
		for _, path := range tsms {
			if err := writeTSM(w, path); err != nil {
				return err
			}
		}
		wals, _ := filepath.Glob(filepath.Join(walDir, s.db, s.rp, s.id, "*.wal"))
		sort.Strings(wals)
		if len(wals) > 0 {
			fmt.Fprintln(w, "# writing wal data")
		}
		for _, path := range wals {
			if err := writeWAL(w, path); err != nil {
				return err
			}
		}
	}
	return nil
}

// findShards lists <datadir>/<db>/<rp>/<shard id> directories, skipping _series and index dirs.
func findShards(dataDir string) ([]shard, error) {
	var shards []shard
	dbs, err := os.ReadDir(dataDir)
	if err != nil {
		return nil, err
	}
	for _, db := range dbs {
		if !db.IsDir() {
			continue
		}
		rps, _ := os.ReadDir(filepath.Join(dataDir, db.Name()))
		for _, rp := range rps {
			if !rp.IsDir() || strings.HasPrefix(rp.Name(), "_") {
				continue
			}
			ids, _ := os.ReadDir(filepath.Join(dataDir, db.Name(), rp.Name()))
			for _, id := range ids {
				if _, err := strconv.Atoi(id.Name()); err == nil && id.IsDir() {
					shards = append(shards, shard{db.Name(), rp.Name(), id.Name()})
				}
			}
		}
	}
	return shards, nil
}

func writeTSM(w *bufio.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	r, err := tsm1.NewTSMReader(f)
	if err != nil {
		return err
	}
	defer r.Close()
	for i := 0; i < r.KeyCount(); i++ {
		key, _ := r.KeyAt(i)
		values, err := r.ReadAll(key)
		if err != nil {
			return err
		}
		writeValues(w, key, values)
	}
	return nil
}

func writeWAL(w *bufio.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	reader := tsm1.NewWALSegmentReader(f)
	defer reader.Close()
	for reader.Next() {
		entry, err := reader.Read()
		if err != nil {
			// A torn last entry is where influxd stopped writing; what came before stands.
			return nil
		}
		if write, ok := entry.(*tsm1.WriteWALEntry); ok {
			keys := make([]string, 0, len(write.Values))
			for k := range write.Values {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				writeValues(w, []byte(k), write.Values[k])
			}
		}
	}
	return nil
}

// writeValues prints one line per value of the composite key "series#!~#field".
func writeValues(w *bufio.Writer, key []byte, values []tsm1.Value) {
	series, field := tsm1.SeriesAndFieldFromCompositeKey(key)
	prefix := string(series) + " " + fieldKeyEscaper.Replace(string(field)) + "="
	for _, v := range values {
		var text string
		switch x := v.Value().(type) {
		case float64:
			text = strconv.FormatFloat(x, 'g', -1, 64)
		case int64:
			text = strconv.FormatInt(x, 10) + "i"
		case uint64:
			text = strconv.FormatUint(x, 10) + "u"
		case bool:
			text = strconv.FormatBool(x)
		case string:
			text = `"` + models.EscapeStringField(x) + `"`
		default:
			continue
		}
		fmt.Fprintf(w, "%s%s %d\n", prefix, text, v.UnixNano())
	}
}
