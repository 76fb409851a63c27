/*
 * A paced sender for a media worker (issue 3, TEL-3): a thread of its own
 * that sends each committed batch of RTP datagrams at the batch's due time
 * on the monotonic clock, at real-time priority, whatever the worker's
 * JavaScript thread is doing then (a long tick, a garbage collection, a
 * preemption).
 *
 * Why: a worker that sends its frames itself can send frame N+1 only once
 * its tick N is over; a tick that runs long (on a busy host this VM's ticks
 * ran 22-67 ms against a 10 ms mean with no stall a probe could see) makes
 * every frame of the next send late. With this sender the worker hands over
 * the frames of a tick as soon as they are mixed, due `sendAhead` frames
 * later, and the thread sends them on time while the worker goes on.
 *
 * The worker's thread fills a batch (`put`, one datagram copied per call),
 * then commits it with its due time; the sender thread takes batches in
 * order, sleeps until each is due (a condition wait on CLOCK_MONOTONIC with
 * an absolute deadline, which a stop ends early), sends every
 * datagram with one sendto (no wait: a full send buffer drops the datagram
 * and counts it) and then closes the descriptors the worker retired with
 * that batch, so a descriptor number is never reused while a datagram
 * naming it still waits. Batches are recycled; nothing is allocated per
 * frame once the worker's load is steady.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "napi_util.h"
#include "sender.h"

#define SPKT_MAX 512

typedef struct {
  int32_t fd;
  uint32_t addr;
  uint16_t port;
  uint16_t len;
  uint8_t data[SPKT_MAX];
} spkt;

typedef struct batch {
  int64_t due_ns;
  int n, cap;
  spkt *p;
  int nclose, capclose;
  int *closes;
  struct batch *next;
} batch;

typedef struct {
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int started, stop;
  batch *head, *tail; /* committed, due order */
  batch *building;    /* the worker's, not shared */
  batch *free_list;
  int rt_priority, cpu;
  /* counters, under mu */
  double sent, dropped, errors, batches, late_batches, max_late_ms, late_datagrams;
  int sched_error, cpu_error;
} sender;

static int64_t mono_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void batch_free(batch *b) {
  if (!b) return;
  free(b->p);
  free(b->closes);
  free(b);
}

/*
 * Sends a batch. Lateness is taken per datagram, after its send: on a slow
 * host a batch that starts on time can still end late (800 sends on
 * loopback, each delivering to its receiver, took 3 ms here on a quiet host
 * and several times that on a busy one), and a datagram counts as late when
 * it left over 10 ms after its due time, as a phone would see it.
 */
static void send_batch(sender *s, batch *b) {
  double sent = 0, dropped = 0, errors = 0, late = 0;
  const int64_t late_after = b->due_ns + 10000000LL;
  int64_t now = mono_ns();
  for (int i = 0; i < b->n; i++) {
    spkt *p = &b->p[i];
    ssize_t r;
    if (p->port == 0) {
      r = send(p->fd, p->data, p->len, MSG_DONTWAIT);
    } else {
      struct sockaddr_in sa;
      memset(&sa, 0, sizeof sa);
      sa.sin_family = AF_INET;
      sa.sin_port = htons(p->port);
      sa.sin_addr.s_addr = htonl(p->addr);
      r = sendto(p->fd, p->data, p->len, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof sa);
    }
    now = mono_ns();
    if (r >= 0) {
      sent++;
      if (now > late_after) late++;
    } else if (errno == EAGAIN || errno == ENOBUFS || errno == ECONNREFUSED || errno == EDESTADDRREQ) dropped++; /* EDESTADDRREQ: unlocked after it was queued */
    else errors++;
  }
  /* the last datagram's lateness is the batch's worst */
  double late_ms = (double)(now - b->due_ns) / 1e6;
  for (int i = 0; i < b->nclose; i++) close(b->closes[i]);
  pthread_mutex_lock(&s->mu);
  s->sent += sent;
  s->dropped += dropped;
  s->errors += errors;
  s->batches++;
  s->late_datagrams += late;
  if (late > 0) s->late_batches++;
  if (late_ms > s->max_late_ms) s->max_late_ms = late_ms;
  b->n = 0;
  b->nclose = 0;
  b->next = s->free_list;
  s->free_list = b;
  pthread_mutex_unlock(&s->mu);
}

static void *run(void *arg) {
  sender *s = arg;
  if (s->cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(s->cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) < 0) s->cpu_error = errno;
  }
  if (s->rt_priority > 0) {
    struct sched_param sp = {.sched_priority = s->rt_priority};
    int e = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    if (e != 0) s->sched_error = e;
  }
  for (;;) {
    pthread_mutex_lock(&s->mu);
    while (!s->stop && s->head == NULL) pthread_cond_wait(&s->cv, &s->mu);
    if (s->head == NULL) { /* stopping with nothing left */
      pthread_mutex_unlock(&s->mu);
      break;
    }
    batch *b = s->head;
    /* sleep until the batch is due (the condition's clock is CLOCK_MONOTONIC, the deadline absolute);
       a commit wakes it early (it sleeps on), a stop too (the batch goes now) */
    struct timespec due = {.tv_sec = b->due_ns / 1000000000LL, .tv_nsec = b->due_ns % 1000000000LL};
    while (!s->stop && mono_ns() < b->due_ns) {
      if (pthread_cond_timedwait(&s->cv, &s->mu, &due) == ETIMEDOUT) break;
    }
    s->head = b->next;
    if (s->head == NULL) s->tail = NULL;
    pthread_mutex_unlock(&s->mu);
    send_batch(s, b);
  }
  return NULL;
}

static void stop_sender(sender *s) {
  if (!s->started) return;
  pthread_mutex_lock(&s->mu);
  s->stop = 1;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
  pthread_join(s->th, NULL);
  s->started = 0;
  /* the worker's unsent batch: its retired descriptors still need closing */
  if (s->building) {
    for (int i = 0; i < s->building->nclose; i++) close(s->building->closes[i]);
    batch_free(s->building);
    s->building = NULL;
  }
  while (s->free_list) {
    batch *b = s->free_list;
    s->free_list = b->next;
    batch_free(b);
  }
}

static void cleanup_hook(void *arg) { stop_sender(arg); }

static void finalize(napi_env env, void *data, void *hint) {
  sender *s = data;
  napi_remove_env_cleanup_hook(env, cleanup_hook, s);
  stop_sender(s);
  pthread_mutex_destroy(&s->mu);
  pthread_cond_destroy(&s->cv);
  free(s);
}

static sender *get_sender(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == NULL) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: expected a sender");
    return NULL;
  }
  return p;
}

/* The sender (argv[0]) and the other arguments of a sender call; NULL with a TypeError thrown (naming `usage`) when they are missing. */
static sender *sender_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *usage) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", usage);
    return NULL;
  }
  return get_sender(env, argv[0]);
}

/* The building batch, taken from the free list or made. NULL when out of memory. */
static batch *building(sender *s) {
  if (s->building) return s->building;
  pthread_mutex_lock(&s->mu);
  batch *b = s->free_list;
  if (b) s->free_list = b->next;
  pthread_mutex_unlock(&s->mu);
  if (!b) {
    b = calloc(1, sizeof *b);
    if (!b) return NULL;
  }
  b->n = 0;
  b->nclose = 0;
  b->next = NULL;
  s->building = b;
  return b;
}

/* senderStart(rtPriority, cpu) -> sender (cpu -1: any) */
napi_value js_sender_start(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t prio = 0, cpu = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_value_int32(env, argv[0], &prio) != napi_ok ||
      napi_get_value_int32(env, argv[1], &cpu) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: senderStart(rtPriority, cpu)");
    return NULL;
  }
  sender *s = calloc(1, sizeof *s);
  if (!s) {
    napi_throw_error(env, "ENOMEM", "rtp-io: out of memory");
    return NULL;
  }
  s->rt_priority = prio;
  s->cpu = cpu;
  pthread_mutex_init(&s->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&s->cv, &ca);
  pthread_condattr_destroy(&ca);
  int e = pthread_create(&s->th, NULL, run, s);
  if (e != 0) {
    free(s);
    napi_throw_error(env, "EIO", "rtp-io: could not start the sender thread");
    return NULL;
  }
  s->started = 1;
  napi_add_env_cleanup_hook(env, cleanup_hook, s);
  napi_value ext;
  napi_create_external(env, s, finalize, NULL, &ext);
  return ext;
}

/* senderPut(sender, fd, data, length, addrHi, addrLo, port) -> 0, or -1 when the datagram is too large for a batch (send it directly) */
napi_value js_sender_put(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  int32_t fd, length, port;
  uint32_t hi, lo;
  napi_typedarray_type type;
  size_t cap, offset;
  void *data;
  napi_value ab;
  sender *s = sender_args(env, info, 7, argv, "rtp-io: senderPut(sender, fd, Uint8Array, length, addrHi, addrLo, port)");
  if (!s) return NULL;
  if (napi_get_value_int32(env, argv[1], &fd) != napi_ok || napi_get_typedarray_info(env, argv[2], &type, &cap, &data, &ab, &offset) != napi_ok ||
      type != napi_uint8_array || napi_get_value_int32(env, argv[3], &length) != napi_ok || napi_get_value_uint32(env, argv[4], &hi) != napi_ok ||
      napi_get_value_uint32(env, argv[5], &lo) != napi_ok || napi_get_value_int32(env, argv[6], &port) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: senderPut(sender, fd, Uint8Array, length, addrHi, addrLo, port)");
    return NULL;
  }
  if (length < 0 || (size_t)length > cap) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "rtp-io: length beyond the buffer");
    return NULL;
  }
  if (length > SPKT_MAX) return num(env, -1);
  batch *b = building(s);
  if (!b) return num(env, -1);
  if (b->n == b->cap) {
    int ncap = b->cap ? b->cap * 2 : 256;
    spkt *np = realloc(b->p, (size_t)ncap * sizeof *np);
    if (!np) return num(env, -1);
    b->p = np;
    b->cap = ncap;
  }
  spkt *p = &b->p[b->n++];
  p->fd = fd;
  p->addr = ((hi & 0xffff) << 16) | (lo & 0xffff);
  p->port = (uint16_t)port;
  p->len = (uint16_t)length;
  memcpy(p->data, data, (size_t)length);
  return num(env, 0);
}

/* senderClose(sender, fd): closes fd once the batch being built (and every batch before it) is sent */
napi_value js_sender_close(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  sender *s = sender_args(env, info, 2, argv, "rtp-io: senderClose(sender, fd)");
  if (!s || napi_get_value_int32(env, argv[1], &fd) != napi_ok) return NULL;
  if (fd < 0) return undef(env);
  batch *b = building(s);
  if (b && b->nclose == b->capclose) {
    int ncap = b->capclose ? b->capclose * 2 : 16;
    int *nc = realloc(b->closes, (size_t)ncap * sizeof *nc);
    if (nc) {
      b->closes = nc;
      b->capclose = ncap;
    }
  }
  if (!b || b->nclose == b->capclose || !s->started) {
    close(fd); /* no memory for the list (or no thread): close now, as an unpaced engine would */
    return undef(env);
  }
  b->closes[b->nclose++] = fd;
  return undef(env);
}

/* senderCommit(sender, dueMonotonicMs): hands the batch being built to the thread, to be sent at that time */
napi_value js_sender_commit(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  double due_ms;
  sender *s = sender_args(env, info, 2, argv, "rtp-io: senderCommit(sender, dueMs)");
  if (!s || napi_get_value_double(env, argv[1], &due_ms) != napi_ok) return NULL;
  batch *b = s->building;
  if (!b || (b->n == 0 && b->nclose == 0)) return undef(env);
  s->building = NULL;
  b->due_ns = (int64_t)(due_ms * 1e6);
  b->next = NULL;
  pthread_mutex_lock(&s->mu);
  if (s->tail) s->tail->next = b;
  else s->head = b;
  s->tail = b;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
  return undef(env);
}

/* senderStats(sender) -> [sent, dropped, errors, batches, lateBatches, maxLateMs, schedErrno, cpuErrno, lateDatagrams] */
napi_value js_sender_stats(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  sender *s = sender_args(env, info, 1, argv, "rtp-io: senderStats(sender)");
  if (!s) return NULL;
  double v[9];
  pthread_mutex_lock(&s->mu);
  v[0] = s->sent;
  v[1] = s->dropped;
  v[2] = s->errors;
  v[3] = s->batches;
  v[4] = s->late_batches;
  v[5] = s->max_late_ms;
  v[6] = s->sched_error;
  v[7] = s->cpu_error;
  v[8] = s->late_datagrams;
  pthread_mutex_unlock(&s->mu);
  napi_value arr;
  napi_create_array_with_length(env, 9, &arr);
  for (uint32_t i = 0; i < 9; i++) napi_set_element(env, arr, i, num(env, v[i]));
  return arr;
}

/* senderStop(sender): sends what is committed (without waiting for its time), closes the retired descriptors, ends the thread */
napi_value js_sender_stop(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  sender *s = sender_args(env, info, 1, argv, "rtp-io: senderStop(sender)");
  if (!s) return NULL;
  stop_sender(s);
  return undef(env);
}

/* monotonicMs() -> CLOCK_MONOTONIC in ms (the clock senderCommit's due times are on) */
napi_value js_monotonic_ms(napi_env env, napi_callback_info info) { return num(env, (double)mono_ns() / 1e6); }
