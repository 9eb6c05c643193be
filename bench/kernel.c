/*
 * The least work a port-exhaustion simulation can do per connection attempt, in plain C, as the
 * yardstick for natcap's engine (`npm run bench` compiles and runs it with the system compiler).
 *
 * Per attempt: one exponential draw (the Poisson inter-arrival gap), one uniform IP choice (the
 * flow hash), per-IP counters with their peaks, and ring-buffer pushes and pops of the close time
 * and of the port's release time after the reuse hold-down. Ring buffers double when full, so
 * memory follows the connections in flight.
 *
 * Usage: kernel RATE HOLD HOLD_DOWN DURATION IPS LIMIT SEED
 * Prints one JSON line: attempts, errors, seconds, attemptsPerSecond.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* xoshiro128** seeded by splitmix32, as natcap's own random source. */
static uint32_t s[4];

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next_u32(void) {
  const uint32_t r = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return r;
}

static void seed_rng(uint32_t seed) {
  uint32_t x = seed;
  for (int i = 0; i < 4; i++) {
    x += 0x9e3779b9u;
    uint32_t z = x;
    z = (z ^ (z >> 16)) * 0x85ebca6bu;
    z = (z ^ (z >> 13)) * 0xc2b2ae35u;
    s[i] = z ^ (z >> 16);
  }
}

/* A ring buffer of (time, ip) events pushed in time order. */
typedef struct {
  double *time;
  int32_t *ip;
  size_t head, size, mask;
} ring;

static void ring_init(ring *r) {
  r->mask = 1023;
  r->head = r->size = 0;
  r->time = malloc((r->mask + 1) * sizeof(double));
  r->ip = malloc((r->mask + 1) * sizeof(int32_t));
}

static void ring_grow(ring *r) {
  size_t cap = (r->mask + 1) * 2;
  double *time = malloc(cap * sizeof(double));
  int32_t *ip = malloc(cap * sizeof(int32_t));
  for (size_t i = 0; i < r->size; i++) {
    size_t j = (r->head + i) & r->mask;
    time[i] = r->time[j];
    ip[i] = r->ip[j];
  }
  free(r->time);
  free(r->ip);
  r->time = time;
  r->ip = ip;
  r->head = 0;
  r->mask = cap - 1;
}

static inline void ring_push(ring *r, double time, int32_t ip) {
  if (r->size > r->mask) ring_grow(r);
  size_t i = (r->head + r->size) & r->mask;
  r->time[i] = time;
  r->ip[i] = ip;
  r->size++;
}

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: kernel RATE HOLD HOLD_DOWN DURATION IPS LIMIT SEED\n");
    return 2;
  }
  const double rate = atof(argv[1]);
  const double hold = atof(argv[2]);
  const double after = atof(argv[3]);
  const double duration = atof(argv[4]);
  const uint32_t ips = (uint32_t)atoi(argv[5]);
  const int32_t limit = atoi(argv[6]);
  seed_rng((uint32_t)atoi(argv[7]));

  int32_t *held = calloc(ips, sizeof(int32_t));
  int32_t *peak_held = calloc(ips, sizeof(int32_t));
  int64_t open = 0, peak_open = 0;
  double attempts = 0, errors = 0;
  ring closing, releasing;
  ring_init(&closing);
  ring_init(&releasing);

  struct timespec t0, t1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  double t = 0;
  for (;;) {
    t -= log(((double)next_u32() + 0.5) / 4294967296.0) / rate;
    if (t >= duration) break;
    while (closing.size > 0 && closing.time[closing.head] <= t) {
      const double when = closing.time[closing.head];
      const int32_t ip = closing.ip[closing.head];
      closing.head = (closing.head + 1) & closing.mask;
      closing.size--;
      open--;
      ring_push(&releasing, when + after, ip);
    }
    while (releasing.size > 0 && releasing.time[releasing.head] <= t) {
      held[releasing.ip[releasing.head]]--;
      releasing.head = (releasing.head + 1) & releasing.mask;
      releasing.size--;
    }
    attempts++;
    const int32_t ip = ips == 1 ? 0 : (int32_t)(((uint64_t)next_u32() * ips) >> 32);
    if (held[ip] >= limit) {
      errors++;
      continue;
    }
    if (++held[ip] > peak_held[ip]) peak_held[ip] = held[ip];
    if (++open > peak_open) peak_open = open;
    ring_push(&closing, t + hold, ip);
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  const double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  int32_t peak = 0;
  for (uint32_t i = 0; i < ips; i++)
    if (peak_held[i] > peak) peak = peak_held[i];
  printf(
      "{\"attempts\":%.0f,\"errors\":%.0f,\"peakConnections\":%lld,\"peakPortsHeldPerIp\":%d,"
      "\"seconds\":%.6f,\"attemptsPerSecond\":%.0f}\n",
      attempts, errors, (long long)peak_open, peak, seconds, attempts / seconds);
  return 0;
}
