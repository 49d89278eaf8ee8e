// tickets.go - the seed experiment in Go: goroutines bounded by a
// semaphore over net/http, one shared Transport sized for the concurrency,
// speaking benchrun's exec protocol (docs/exec-protocol.md).
//
// It prints `ready` once started; URLs arrive on stdin, one per line; for
// each request it prints `start I`, then `summary I STATUS FIELDS` (the day
// parsed and summarised here, in Go, as the Python programs do in Python)
// or `error I STATUS TEXT`.  BENCHRUN_CONCURRENCY bounds the requests in flight;
// BENCHRUN_CPU_US_PER_TRIP burns that much CPU per trip.
//
// examples/go/run.sh builds it once into a cache and execs the binary, so
// benchrun measures the program alone, not the go tool.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

type trip struct {
	ID        string `json:"id"`
	Departure string `json:"departure"`
	FreeSeats int64  `json:"free_seats"`
	Price     struct {
		Amount float64 `json:"amount"`
	} `json:"price"`
}

type day struct {
	Trips []trip `json:"trips"`
}

var cpuPerTrip = envFloat("BENCHRUN_CPU_US_PER_TRIP", 0)

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

// threadCPU is this OS thread's CPU time (RUSAGE_THREAD is 1 on Linux).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(1, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// burn spends real CPU, not sleep, on the goroutine's own thread.
func burn(d time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	end := threadCPU() + d
	x := uint64(1)
	for threadCPU() < end {
		for k := 0; k < 1000; k++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	_ = x
}

// prepare parses and summarises one day: the canonical summary text.
func prepare(body []byte) (string, error) {
	var d day
	if err := json.Unmarshal(body, &d); err != nil {
		return "", err
	}
	var cheapest, total, seats, first int64 = 0, 0, 0, 0
	digest := uint64(0xcbf29ce484222325)
	for k, t := range d.Trips {
		if len(t.Departure) < 16 {
			return "", fmt.Errorf("trip %d: bad departure %q", k, t.Departure)
		}
		cents := int64(math.Round(t.Price.Amount * 100))
		hh, _ := strconv.Atoi(t.Departure[11:13])
		mm, _ := strconv.Atoi(t.Departure[14:16])
		dep := int64(hh*60 + mm)
		if k == 0 || cents < cheapest {
			cheapest = cents
		}
		if k == 0 || dep < first {
			first = dep
		}
		total += cents
		seats += t.FreeSeats
		for i := 0; i < len(t.ID); i++ {
			digest = (digest ^ uint64(t.ID[i])) * 0x100000001b3
		}
	}
	if cpuPerTrip > 0 {
		burn(time.Duration(cpuPerTrip * float64(len(d.Trips)) * 1e3))
	}
	return fmt.Sprintf("trips=%d cheapest=%d total=%d seats=%d first=%d digest=%016x",
		len(d.Trips), cheapest, total, seats, first, digest), nil
}

// out serialises records: one goroutine writes, so lines never interleave.
type out struct {
	lines chan string
	done  chan struct{}
}

func newOut() *out {
	o := &out{make(chan string, 1024), make(chan struct{})}
	go func() {
		w := bufio.NewWriter(os.Stdout)
		for l := range o.lines {
			w.WriteString(l)
			w.WriteByte('\n')
			// Flush when nothing else is waiting: records reach benchrun
			// as they happen, without a write per line under load.
			if len(o.lines) == 0 {
				w.Flush()
			}
		}
		w.Flush()
		close(o.done)
	}()
	return o
}

func (o *out) printf(format string, a ...interface{}) {
	o.lines <- fmt.Sprintf(format, a...)
}

func fetch(client *http.Client, o *out, i int, url string) {
	o.printf("start %d", i)
	resp, err := client.Get(url)
	if err != nil {
		o.printf("error %d 0 %s", i, strings.ReplaceAll(err.Error(), "\n", " "))
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch {
	case err != nil:
		o.printf("error %d %d %s", i, resp.StatusCode, err)
	case resp.StatusCode != 200:
		o.printf("error %d %d HTTP %d", i, resp.StatusCode, resp.StatusCode)
	default:
		if s, err := prepare(body); err != nil {
			o.printf("error %d %d bad body: %s", i, resp.StatusCode, err)
		} else {
			o.printf("summary %d %d %s", i, resp.StatusCode, s)
		}
	}
}

// monotonic is CLOCK_MONOTONIC in seconds: the clock benchrun's due times
// (BENCHRUN_EPOCH + SECONDS) are on.  Go's own monotonic readings are
// private to the time package, so ask the kernel.
func monotonic() float64 {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 1, uintptr(unsafe.Pointer(&ts)), 0)
	return float64(ts.Sec) + float64(ts.Nsec)/1e9
}

func main() {
	// Start-up is over (the runtime is up, nothing more to load): benchrun
	// measures wall time and CPU from here, like a C plugin's run hook.
	os.Stdout.WriteString("ready\n")
	// Each line is "URL", or "URL SECONDS" in an open-model scenario:
	// request i may not start before BENCHRUN_EPOCH + SECONDS.
	var urls []string
	var due []time.Time
	epoch := envFloat("BENCHRUN_EPOCH", 0)
	start, mono := time.Now(), monotonic()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	for in.Scan() {
		f := strings.Fields(in.Text())
		if len(f) == 0 {
			continue
		}
		urls = append(urls, f[0])
		if len(f) > 1 {
			s, _ := strconv.ParseFloat(f[1], 64)
			at := epoch + s - mono
			due = append(due, start.Add(time.Duration(at*1e9)))
		}
	}
	limit := int(envFloat("BENCHRUN_CONCURRENCY", 10))
	if limit < 1 {
		limit = 1
	}
	transport := &http.Transport{
		MaxIdleConns:        limit,
		MaxIdleConnsPerHost: limit,
		MaxConnsPerHost:     limit,
		IdleConnTimeout:     90 * time.Second,
	}
	client := &http.Client{Transport: transport, Timeout: 60 * time.Second}
	o := newOut()
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, u := range urls {
		// The dispatcher starts nothing before it is due.
		if due != nil {
			if wait := time.Until(due[i]); wait > 0 {
				time.Sleep(wait)
			}
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int, u string) {
			defer func() { <-sem; wg.Done() }()
			fetch(client, o, i, u)
		}(i, u)
	}
	wg.Wait()
	close(o.lines)
	<-o.done
}
