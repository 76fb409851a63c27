/*
 * Hotline's RTP socket I/O for the media workers (issue 3, TEL-3).
 *
 * Why by hand: a media worker owns hundreds of UDP sockets (one per leg,
 * the leg's RTP port) and reads and writes each once per 20 ms frame. With
 * node:dgram every datagram costs an epoll wake-up, a libuv read that
 * ends in EAGAIN, a JavaScript callback with a new Buffer and a remote-info
 * object, and a send through dgram's JavaScript send path (perf on this
 * machine showed libuv, UDPWrap, epoll and the allocator beside the audio
 * code in every worker). Moving the sockets here cut the engine's CPU at
 * 400 recorded calls from 42-46% to 30% of the machine in bench:media.
 * No npm package offers batched, poll-free UDP for Node on Linux, so this
 * small addon does: the media clock reads every socket once per tick with
 * one non-blocking recvmmsg into a caller-owned slab, with the kernel's
 * receive time of every datagram (SO_TIMESTAMPNS) so the jitter buffer
 * still sees true arrival times, and sends with one sendto per datagram
 * straight from the caller's buffer. No event loop, no allocation.
 *
 * Plain N-API (no node-addon-api), context-aware (worker threads load it
 * each on their own), no global state: every call works on the descriptor
 * it is given.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "napi_util.h"
#include "sender.h"

#define MAX_BATCH 64

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  const char *code = NULL;
  switch (err) {
    case EADDRINUSE: code = "EADDRINUSE"; break;
    case EADDRNOTAVAIL: code = "EADDRNOTAVAIL"; break;
    case EACCES: code = "EACCES"; break;
    case EINVAL: code = "EINVAL"; break;
    case EBADF: code = "EBADF"; break;
    case EMFILE: code = "EMFILE"; break;
    case ENFILE: code = "ENFILE"; break;
    case ENETUNREACH: code = "ENETUNREACH"; break;
    default: code = "EIO"; break;
  }
  napi_throw_error(env, code, msg);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: missing arguments");
    return 0;
  }
  return 1;
}

static int get_i32(napi_env env, napi_value v, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: expected a number");
    return 0;
  }
  return 1;
}

static int get_u32(napi_env env, napi_value v, uint32_t *out) {
  if (napi_get_value_uint32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: expected a number");
    return 0;
  }
  return 1;
}

/* An IPv4 literal and a port into a sockaddr_in; 0 with a TypeError thrown when the string is not one. */
static int get_addr(napi_env env, napi_value s, napi_value p, struct sockaddr_in *sa) {
  char host[64];
  size_t len = 0;
  int32_t port = 0;
  if (napi_get_value_string_utf8(env, s, host, sizeof host, &len) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: expected an address string");
    return 0;
  }
  if (!get_i32(env, p, &port)) return 0;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: not an IPv4 address and port");
    return 0;
  }
  return 1;
}


/* open(address, port, recvBufferBytes, sendBufferBytes) -> fd */
static napi_value js_open(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  struct sockaddr_in sa;
  int32_t rcv, snd;
  if (!get_args(env, info, 4, argv) || !get_addr(env, argv[0], argv[1], &sa) || !get_i32(env, argv[2], &rcv) || !get_i32(env, argv[3], &snd)) return NULL;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", errno);
  int one = 1;
  if ((rcv > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv) < 0) ||
      (snd > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd) < 0) ||
      setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "setsockopt", err);
  }
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "bind", err);
  }
  return num(env, fd);
}

static napi_value js_local_port(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !get_i32(env, argv[0], &fd)) return NULL;
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0) return throw_errno(env, "getsockname", errno);
  return num(env, ntohs(sa.sin_port));
}

static napi_value js_connect(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd;
  struct sockaddr_in sa;
  if (!get_args(env, info, 3, argv) || !get_i32(env, argv[0], &fd) || !get_addr(env, argv[1], argv[2], &sa)) return NULL;
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) return throw_errno(env, "connect", errno);
  return undef(env);
}

static napi_value js_disconnect(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !get_i32(env, argv[0], &fd)) return NULL;
  struct sockaddr sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_family = AF_UNSPEC;
  if (connect(fd, &sa, sizeof sa) < 0 && errno != EAFNOSUPPORT) return throw_errno(env, "disconnect", errno);
  return undef(env);
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !get_i32(env, argv[0], &fd)) return NULL;
  if (fd >= 0) close(fd);
  return undef(env);
}

/* The bytes of a Uint8Array (or any typed array, as octets). */
static int get_bytes(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  napi_typedarray_type type;
  size_t length, offset;
  void *p;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &p, &ab, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: expected a Uint8Array");
    return 0;
  }
  *data = p;
  *len = length;
  return 1;
}

/* send(fd, data, length, addrHi, addrLo, port) -> octets sent or -errno (the address in 16-bit halves: small integers cost JavaScript no allocation) */
static napi_value js_send(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  int32_t fd, length, port;
  uint32_t hi, lo;
  uint8_t *data;
  size_t cap;
  if (!get_args(env, info, 6, argv) || !get_i32(env, argv[0], &fd) || !get_bytes(env, argv[1], &data, &cap) || !get_i32(env, argv[2], &length) ||
      !get_u32(env, argv[3], &hi) || !get_u32(env, argv[4], &lo) || !get_i32(env, argv[5], &port))
    return NULL;
  uint32_t addr = ((hi & 0xffff) << 16) | (lo & 0xffff);
  if (length < 0 || (size_t)length > cap) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "rtp-io: length beyond the buffer");
    return NULL;
  }
  ssize_t n;
  if (port == 0) {
    n = send(fd, data, (size_t)length, MSG_DONTWAIT);
  } else {
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(addr);
    n = sendto(fd, data, (size_t)length, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof sa);
  }
  return num(env, n < 0 ? -errno : (double)n);
}

/* recv(fd, slab, meta, max) -> count or -errno; see index.d.ts */
static napi_value js_recv(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd, max;
  uint8_t *slab;
  size_t slab_len;
  napi_typedarray_type type;
  size_t meta_len, offset;
  void *meta_p;
  napi_value ab;
  if (!get_args(env, info, 4, argv) || !get_i32(env, argv[0], &fd) || !get_bytes(env, argv[1], &slab, &slab_len) || !get_i32(env, argv[3], &max)) return NULL;
  if (napi_get_typedarray_info(env, argv[2], &type, &meta_len, &meta_p, &ab, &offset) != napi_ok || type != napi_float64_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: expected a Float64Array for meta");
    return NULL;
  }
  if (max < 1 || max > MAX_BATCH || meta_len < (size_t)max * 4 || slab_len / (size_t)max < 12) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "rtp-io: batch does not fit slab or meta");
    return NULL;
  }
  double *meta = meta_p;
  size_t slot = slab_len / (size_t)max;
  struct mmsghdr msgs[MAX_BATCH];
  struct iovec iov[MAX_BATCH];
  struct sockaddr_in from[MAX_BATCH];
  /* room for one struct timespec control message per datagram */
  char ctl[MAX_BATCH][CMSG_SPACE(sizeof(struct timespec))];
  memset(msgs, 0, sizeof(struct mmsghdr) * (size_t)max);
  for (int i = 0; i < max; i++) {
    iov[i].iov_base = slab + (size_t)i * slot;
    iov[i].iov_len = slot;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    msgs[i].msg_hdr.msg_control = ctl[i];
    msgs[i].msg_hdr.msg_controllen = sizeof ctl[i];
  }
  /* MSG_TRUNC: msg_len is the datagram's real length, so one larger than its slot is told apart */
  int n = recvmmsg(fd, msgs, (unsigned)max, MSG_DONTWAIT | MSG_TRUNC, NULL);
  if (n < 0) {
    int err = errno;
    return num(env, err == EAGAIN || err == EWOULDBLOCK ? 0 : -err);
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (int i = 0; i < n; i++) {
    struct msghdr *h = &msgs[i].msg_hdr;
    double age = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        struct timespec ts;
        memcpy(&ts, CMSG_DATA(c), sizeof ts);
        age = (double)(now.tv_sec - ts.tv_sec) * 1e3 + (double)(now.tv_nsec - ts.tv_nsec) / 1e6;
        if (age < 0) age = 0;
      }
    }
    double len = (double)msgs[i].msg_len;
    if ((h->msg_flags & MSG_TRUNC) || msgs[i].msg_len > slot) len = -len;
    meta[i * 4] = len;
    meta[i * 4 + 1] = (double)ntohl(from[i].sin_addr.s_addr);
    meta[i * 4 + 2] = (double)ntohs(from[i].sin_port);
    meta[i * 4 + 3] = age;
  }
  return num(env, n);
}

/* sendMany(fd, slab, meta, count, slot) -> datagrams sent or -errno; see index.d.ts */
static napi_value js_send_many(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t fd, count, slot_arg;
  uint8_t *slab;
  size_t slab_len;
  napi_typedarray_type type;
  size_t meta_len, offset;
  void *meta_p;
  napi_value ab;
  if (!get_args(env, info, 5, argv) || !get_i32(env, argv[0], &fd) || !get_bytes(env, argv[1], &slab, &slab_len) || !get_i32(env, argv[3], &count) ||
      !get_i32(env, argv[4], &slot_arg))
    return NULL;
  if (napi_get_typedarray_info(env, argv[2], &type, &meta_len, &meta_p, &ab, &offset) != napi_ok || type != napi_float64_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "rtp-io: expected a Float64Array for meta");
    return NULL;
  }
  if (count < 0 || count > MAX_BATCH || slot_arg < 1 || meta_len < (size_t)count * 4 || (size_t)slot_arg * (size_t)count > slab_len) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "rtp-io: batch does not fit slab or meta");
    return NULL;
  }
  if (count == 0) return num(env, 0);
  const double *meta = meta_p;
  size_t slot = (size_t)slot_arg;
  struct mmsghdr msgs[MAX_BATCH];
  struct iovec iov[MAX_BATCH];
  struct sockaddr_in to[MAX_BATCH];
  memset(msgs, 0, sizeof(struct mmsghdr) * (size_t)count);
  for (int i = 0; i < count; i++) {
    double len = meta[i * 4];
    if (len < 0 || (size_t)len > slot) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "rtp-io: datagram longer than its slot");
      return NULL;
    }
    iov[i].iov_base = slab + (size_t)i * slot;
    iov[i].iov_len = (size_t)len;
    memset(&to[i], 0, sizeof to[i]);
    to[i].sin_family = AF_INET;
    to[i].sin_addr.s_addr = htonl((uint32_t)meta[i * 4 + 1]);
    to[i].sin_port = htons((uint16_t)meta[i * 4 + 2]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &to[i];
    msgs[i].msg_hdr.msg_namelen = sizeof to[i];
  }
  int n = sendmmsg(fd, msgs, (unsigned)count, MSG_DONTWAIT);
  return num(env, n < 0 ? -errno : n);
}

/* setThreadNice(n) -> 0 or -errno: the calling thread's nice value (Linux keeps it per thread). */
static napi_value js_set_thread_nice(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t nice_value;
  if (!get_args(env, info, 1, argv) || !get_i32(env, argv[0], &nice_value)) return NULL;
  pid_t tid = (pid_t)syscall(SYS_gettid);
  return num(env, setpriority(PRIO_PROCESS, (id_t)tid, nice_value) < 0 ? -errno : 0);
}

/* threadNice() -> the calling thread's nice value. */
static napi_value js_thread_nice(napi_env env, napi_callback_info info) {
  pid_t tid = (pid_t)syscall(SYS_gettid);
  errno = 0;
  int v = getpriority(PRIO_PROCESS, (id_t)tid);
  return num(env, v);
}

/*
 * setThreadRealtime(priority) -> 0 or -errno: the calling thread to
 * SCHED_FIFO at priority (1-99), or back to SCHED_OTHER (keeping its nice
 * value) when priority is 0.
 */
static napi_value js_set_thread_realtime(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t prio;
  if (!get_args(env, info, 1, argv) || !get_i32(env, argv[0], &prio)) return NULL;
  struct sched_param sp = {.sched_priority = prio > 0 ? prio : 0};
  return num(env, sched_setscheduler(0, prio > 0 ? SCHED_FIFO : SCHED_OTHER, &sp) < 0 ? -errno : 0);
}

/* threadRealtime() -> the calling thread's SCHED_FIFO or SCHED_RR priority, 0 under an ordinary policy. */
static napi_value js_thread_realtime(napi_env env, napi_callback_info info) {
  int policy = sched_getscheduler(0);
  struct sched_param sp;
  if ((policy != SCHED_FIFO && policy != SCHED_RR) || sched_getparam(0, &sp) < 0) return num(env, 0);
  return num(env, sp.sched_priority);
}

/* setThreadCpu(cpu) -> 0 or -errno: the calling thread runs on that CPU alone; -1 lets it run on all. */
static napi_value js_set_thread_cpu(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t cpu;
  if (!get_args(env, info, 1, argv) || !get_i32(env, argv[0], &cpu)) return NULL;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (cpu < 0) {
    long n = sysconf(_SC_NPROCESSORS_CONF);
    for (long i = 0; i < n && i < CPU_SETSIZE; i++) CPU_SET(i, &set);
  } else if (cpu < CPU_SETSIZE) {
    CPU_SET(cpu, &set);
  } else {
    return num(env, -EINVAL);
  }
  return num(env, sched_setaffinity(0, sizeof set, &set) < 0 ? -errno : 0);
}

/* threadCpus() -> the CPUs the calling thread may run on, ascending (an empty array when the call fails). */
static napi_value js_thread_cpus(napi_env env, napi_callback_info info) {
  cpu_set_t set;
  napi_value arr;
  napi_create_array(env, &arr);
  if (sched_getaffinity(0, sizeof set, &set) < 0) return arr;
  uint32_t k = 0;
  for (int i = 0; i < CPU_SETSIZE; i++) {
    if (CPU_ISSET(i, &set)) napi_set_element(env, arr, k++, num(env, i));
  }
  return arr;
}

/* A function and a number on the exports object. */
#define FN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL}
#define CONST(name, v) {name, NULL, NULL, NULL, NULL, num(env, v), napi_enumerable, NULL}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
    FN("open", js_open),
    FN("localPort", js_local_port),
    FN("connect", js_connect),
    FN("disconnect", js_disconnect),
    FN("close", js_close),
    FN("send", js_send),
    FN("recv", js_recv),
    FN("sendMany", js_send_many),
    FN("setThreadNice", js_set_thread_nice),
    FN("threadNice", js_thread_nice),
    FN("setThreadRealtime", js_set_thread_realtime),
    FN("threadRealtime", js_thread_realtime),
    FN("setThreadCpu", js_set_thread_cpu),
    FN("threadCpus", js_thread_cpus),
    FN("senderStart", js_sender_start),
    FN("senderPut", js_sender_put),
    FN("senderClose", js_sender_close),
    FN("senderCommit", js_sender_commit),
    FN("senderStats", js_sender_stats),
    FN("senderStop", js_sender_stop),
    FN("monotonicMs", js_monotonic_ms),
    CONST("EAGAIN", EAGAIN),
    CONST("ECONNREFUSED", ECONNREFUSED),
    CONST("ENOBUFS", ENOBUFS),
  };
  size_t nprops = sizeof props / sizeof props[0];
  napi_define_properties(env, exports, nprops, props);
  return exports;
}
