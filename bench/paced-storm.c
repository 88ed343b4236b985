/*
 * paced-storm: open new TCP connections at a fixed rate (open loop), for bench/daemon-storm.sh.
 *
 *   paced-storm -a ADDR -P PORT [-m NPORTS] -r RATE -d SECONDS [-c MAX_IN_FLIGHT] [-T TIMEOUT_MS]
 *
 * Why not nwb-storm (../shared/bench): it opens K connections as fast as it can (closed loop);
 * a daemon's cost at "100 new connections/s" needs connections spread evenly over time.
 *
 * Every millisecond the schedule says how many connections should have started by now
 * (elapsed * RATE); that many are started, each socket() -> non-blocking connect() -> writable
 * -> close() (FIN, so the client keeps TIME_WAIT like an ordinary program), round-robin over
 * PORT..PORT+NPORTS-1. At most MAX_IN_FLIGHT (default 256) are in flight: when a slow
 * firewall holds them back, the schedule falls behind and the shortfall is reported rather
 * than hidden (behind = scheduled but never started). Bounded: stops starting after SECONDS,
 * waits for the last ones at most TIMEOUT_MS (default 3000), then prints one line:
 *   rate=.. seconds=.. started=.. ok=.. err=.. timeouts=.. behind=.. wall_s=.. ok_per_s=..
 *   p50_us=.. p99_us=.. max_us=..
 * Limits: RATE 1..100000, SECONDS 1..600.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct slot { int fd; uint64_t t0; };

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    const char *addr_s = NULL;
    int port0 = 0, nports = 1, max_inflight = 256, o;
    long rate = 0, seconds = 0, timeout_ms = 3000;
    while ((o = getopt(argc, argv, "a:P:m:r:d:c:T:")) != -1) {
        switch (o) {
        case 'a': addr_s = optarg; break;
        case 'P': port0 = atoi(optarg); break;
        case 'm': nports = atoi(optarg); break;
        case 'r': rate = atol(optarg); break;
        case 'd': seconds = atol(optarg); break;
        case 'c': max_inflight = atoi(optarg); break;
        case 'T': timeout_ms = atol(optarg); break;
        default: fprintf(stderr, "usage: see the comment at the top of paced-storm.c\n"); return 2;
        }
    }
    if (!addr_s || port0 <= 0 || nports < 1 || rate < 1 || rate > 100000 || seconds < 1 || seconds > 600
        || max_inflight < 1 || max_inflight > 4096 || timeout_ms < 1 || timeout_ms > 60000) {
        fprintf(stderr, "paced-storm: need -a ADDR -P PORT -r 1..100000 -d 1..600 [-m N] [-c 1..4096] [-T ms]\n");
        return 2;
    }
    struct rlimit rl = {8192, 8192};
    setrlimit(RLIMIT_NOFILE, &rl);
    struct sockaddr_in dst = {0};
    dst.sin_family = AF_INET;
    if (inet_pton(AF_INET, addr_s, &dst.sin_addr) != 1) { fprintf(stderr, "paced-storm: bad address\n"); return 2; }

    long total = rate * seconds;
    uint32_t *lat = malloc(sizeof(uint32_t) * (size_t)total);
    struct slot *slots = calloc((size_t)max_inflight, sizeof *slots);
    int *free_idx = malloc(sizeof(int) * (size_t)max_inflight), nfree = max_inflight;
    if (!lat || !slots || !free_idx) { perror("malloc"); return 1; }
    for (int i = 0; i < max_inflight; i++) free_idx[i] = max_inflight - 1 - i;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event evs[256];

    long started = 0, ok = 0, err = 0, timeouts = 0, nlat = 0, behind = 0;
    uint64_t t_start = now_ns(), t_stop = t_start + (uint64_t)seconds * 1000000000ull;
    uint64_t hard_end = t_stop + (uint64_t)timeout_ms * 1000000ull;
    uint64_t tmo_ns = (uint64_t)timeout_ms * 1000000ull, last_sweep = t_start;
    for (;;) {
        uint64_t now = now_ns();
        if (now < t_stop) {
            long due = (long)((double)(now - t_start) * (double)rate / 1e9);
            if (due > total) due = total;
            while (started + behind < due && nfree > 0) {
                int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                if (fd < 0) { err++; started++; continue; }
                dst.sin_port = htons((uint16_t)(port0 + started % nports));
                int r = connect(fd, (struct sockaddr *)&dst, sizeof dst);
                started++;
                if (r != 0 && errno != EINPROGRESS) { err++; close(fd); continue; }
                int idx = free_idx[--nfree];
                slots[idx].fd = fd; slots[idx].t0 = now_ns();
                struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = (uint32_t)idx};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            }
            /* More than a second behind with everything in flight: those are lost, not queued. */
            if (due - started - behind > rate) behind = due - started;
        } else if (nfree == max_inflight || now >= hard_end) {
            break;
        }
        int n = epoll_wait(ep, evs, 256, 1);
        uint64_t t = now_ns();
        for (int i = 0; i < n; i++) {
            int idx = (int)evs[i].data.u32, fd = slots[idx].fd, soerr = 0;
            socklen_t sl = sizeof soerr;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
            if (soerr == 0) { ok++; if (nlat < total) lat[nlat++] = (uint32_t)((t - slots[idx].t0) / 1000); }
            else err++;
            close(fd);
            slots[idx].fd = -1;
            free_idx[nfree++] = idx;
        }
        if (t - last_sweep > 100000000ull) {  /* time out stuck connects, 10 times a second */
            last_sweep = t;
            for (int idx = 0; idx < max_inflight; idx++) {
                if (slots[idx].fd > 0 && t - slots[idx].t0 > tmo_ns) {
                    close(slots[idx].fd); slots[idx].fd = -1; free_idx[nfree++] = idx; timeouts++;
                }
            }
        }
    }
    for (int idx = 0; idx < max_inflight; idx++)
        if (slots[idx].fd > 0) { close(slots[idx].fd); timeouts++; }
    double wall = (double)(now_ns() - t_start) / 1e9;
    qsort(lat, (size_t)nlat, sizeof *lat, cmp_u32);
    uint32_t p50 = nlat ? lat[nlat / 2] : 0, p99 = nlat ? lat[(nlat * 99) / 100] : 0, mx = nlat ? lat[nlat - 1] : 0;
    printf("rate=%ld seconds=%ld started=%ld ok=%ld err=%ld timeouts=%ld behind=%ld wall_s=%.2f ok_per_s=%.1f "
           "p50_us=%u p99_us=%u max_us=%u\n",
           rate, seconds, started, ok, err, timeouts, behind, wall, (double)ok / (double)seconds, p50, p99, mx);
    return 0;
}
