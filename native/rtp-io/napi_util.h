/* Small N-API helpers shared by the addon's files. */
#ifndef HOTLINE_RTP_IO_NAPI_UTIL_H
#define HOTLINE_RTP_IO_NAPI_UTIL_H
#include <node_api.h>

static inline napi_value num(napi_env env, double d) {
  napi_value v;
  napi_create_double(env, d, &v);
  return v;
}

static inline napi_value undef(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}
#endif
