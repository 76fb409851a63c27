/* The paced sender of a media worker (sender.c). */
#ifndef HOTLINE_RTP_IO_SENDER_H
#define HOTLINE_RTP_IO_SENDER_H
#include <node_api.h>
napi_value js_sender_start(napi_env env, napi_callback_info info);
napi_value js_sender_put(napi_env env, napi_callback_info info);
napi_value js_sender_close(napi_env env, napi_callback_info info);
napi_value js_sender_commit(napi_env env, napi_callback_info info);
napi_value js_sender_stats(napi_env env, napi_callback_info info);
napi_value js_sender_stop(napi_env env, napi_callback_info info);
napi_value js_monotonic_ms(napi_env env, napi_callback_info info);
#endif
