/*
 * Native products and patch copies for the wasm backend's training kernels.
 *
 * The wasm backend keeps every tensor in its heap, one (Shared)ArrayBuffer. These functions
 * work on that memory in place, given the heap as a Float32Array and float offsets into it:
 * a matrix product through the system's OpenBLAS (several times XNNPACK's wasm SIMD speed),
 * and the im2col / col2im copies that turn convolutions and their gradients into products.
 * Only the OpenBLAS runtime library is needed (its CBLAS entry points are declared here).
 * Every offset and size is checked against the heap before any memory is touched.
 */
#include <node_api.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112 };
extern void cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha,
                        const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
extern void openblas_set_num_threads(int n);

#define MAX_ARGS 20

typedef struct {
  float *heap;
  int64_t len; /* floats in the heap view */
  int64_t v[MAX_ARGS - 1];
} Args;

static int fail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return 0;
}

/* args[0]: the heap as a Float32Array; args[1..n]: integers. */
static int read_args(napi_env env, napi_callback_info info, size_t n, Args *out) {
  size_t argc = MAX_ARGS;
  napi_value argv[MAX_ARGS];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != n + 1) return fail(env, "gan_blas: wrong number of arguments");
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t byte_offset;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &byte_offset) != napi_ok || type != napi_float32_array)
    return fail(env, "gan_blas: the first argument must be the wasm heap as a Float32Array");
  out->heap = (float *)data;
  out->len = (int64_t)length;
  for (size_t i = 0; i < n; i++) {
    if (napi_get_value_int64(env, argv[i + 1], &out->v[i]) != napi_ok) return fail(env, "gan_blas: arguments after the heap must be integers");
    if (out->v[i] < 0) return fail(env, "gan_blas: offsets and sizes must be >= 0");
  }
  return 1;
}

static int inside(const Args *a, int64_t offset, int64_t count) {
  return offset >= 0 && count >= 0 && offset + count <= a->len;
}

/* sgemm(heap, a, b, c, M, N, K, transA, transB, accumulate): C[M,N] (+)= op(A) op(B). */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 9, &a)) return NULL;
  int64_t oa = a.v[0], ob = a.v[1], oc = a.v[2], m = a.v[3], n = a.v[4], k = a.v[5];
  int ta = a.v[6] != 0, tb = a.v[7] != 0, acc = a.v[8] != 0;
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) { fail(env, "sgemm: dimension too large"); return NULL; }
  if (!inside(&a, oa, m * k) || !inside(&a, ob, k * n) || !inside(&a, oc, m * n)) { fail(env, "sgemm: operand outside the heap"); return NULL; }
  if (m == 0 || n == 0) return NULL;
  if (k == 0) {
    if (!acc) memset(a.heap + oc, 0, sizeof(float) * m * n);
    return NULL;
  }
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f,
              a.heap + oa, ta ? (int)m : (int)k, a.heap + ob, tb ? (int)k : (int)n, acc ? 1.0f : 0.0f, a.heap + oc, (int)n);
  return NULL;
}

typedef struct {
  int64_t B, H, W, C, OH, OW, fh, fw, sh, sw, pt, pl, dh, dw;
} Geometry;

static int geometry(napi_env env, const Args *a, int first, Geometry *g) {
  const int64_t *v = a->v + first;
  g->B = v[0]; g->H = v[1]; g->W = v[2]; g->C = v[3]; g->OH = v[4]; g->OW = v[5];
  g->fh = v[6]; g->fw = v[7]; g->sh = v[8]; g->sw = v[9]; g->pt = v[10]; g->pl = v[11]; g->dh = v[12]; g->dw = v[13];
  if (g->sh < 1 || g->sw < 1 || g->dh < 1 || g->dw < 1) return fail(env, "im2col/col2im: strides and dilations must be >= 1");
  return 1;
}

/*
 * The arguments of im2col and col2im: the heap, two offsets (image and patch matrix, in the
 * order `image_first` says) and the geometry, each operand checked against the heap.
 */
static int patch_args(napi_env env, napi_callback_info info, const char *name, int image_first,
                      Args *a, Geometry *g, int64_t *image, int64_t *cols) {
  if (!read_args(env, info, 16, a) || !geometry(env, a, 2, g)) return 0;
  *image = a->v[image_first ? 0 : 1];
  *cols = a->v[image_first ? 1 : 0];
  if (!inside(a, *image, g->B * g->H * g->W * g->C) || !inside(a, *cols, g->B * g->OH * g->OW * g->fh * g->fw * g->C)) {
    char msg[64];
    snprintf(msg, sizeof msg, "%s: operand outside the heap", name);
    return fail(env, msg);
  }
  return 1;
}

/*
 * im2col(heap, x, cols, B, H, W, C, OH, OW, fh, fw, sh, sw, pt, pl, dh, dw):
 * cols[(b, oy, ox), (i, j, c)] = x[b, oy*sh - pt + i*dh, ox*sw - pl + j*dw, c], 0 outside.
 */
static napi_value im2col(napi_env env, napi_callback_info info) {
  Args a;
  Geometry g;
  int64_t ox_, oc_;
  if (!patch_args(env, info, "im2col", 1, &a, &g, &ox_, &oc_)) return NULL;
  int64_t patch = g.fh * g.fw * g.C;
  const float *x = a.heap + ox_;
  float *cols = a.heap + oc_;
  size_t run = sizeof(float) * (size_t)g.C;
  for (int64_t b = 0; b < g.B; b++)
    for (int64_t oy = 0; oy < g.OH; oy++)
      for (int64_t ox = 0; ox < g.OW; ox++) {
        float *row = cols + ((b * g.OH + oy) * g.OW + ox) * patch;
        for (int64_t i = 0; i < g.fh; i++) {
          int64_t y = oy * g.sh - g.pt + i * g.dh;
          for (int64_t j = 0; j < g.fw; j++) {
            int64_t xx = ox * g.sw - g.pl + j * g.dw;
            float *dst = row + (i * g.fw + j) * g.C;
            if (y < 0 || y >= g.H || xx < 0 || xx >= g.W) {
              memset(dst, 0, run);
            } else {
              const float *src = x + ((b * g.H + y) * g.W + xx) * g.C;
              for (int64_t c = 0; c < g.C; c++) dst[c] = src[c];
            }
          }
        }
      }
  return NULL;
}

/* col2im(heap, cols, dx, ...same geometry): dx = 0, then every patch element is added back. */
static napi_value col2im(napi_env env, napi_callback_info info) {
  Args a;
  Geometry g;
  int64_t ox_, oc_;
  if (!patch_args(env, info, "col2im", 0, &a, &g, &ox_, &oc_)) return NULL;
  int64_t patch = g.fh * g.fw * g.C;
  const float *cols = a.heap + oc_;
  float *dx = a.heap + ox_;
  memset(dx, 0, sizeof(float) * (size_t)(g.B * g.H * g.W * g.C));
  for (int64_t b = 0; b < g.B; b++)
    for (int64_t oy = 0; oy < g.OH; oy++)
      for (int64_t ox = 0; ox < g.OW; ox++) {
        const float *row = cols + ((b * g.OH + oy) * g.OW + ox) * patch;
        for (int64_t i = 0; i < g.fh; i++) {
          int64_t y = oy * g.sh - g.pt + i * g.dh;
          if (y < 0 || y >= g.H) continue;
          for (int64_t j = 0; j < g.fw; j++) {
            int64_t xx = ox * g.sw - g.pl + j * g.dw;
            if (xx < 0 || xx >= g.W) continue;
            const float *src = row + (i * g.fw + j) * g.C;
            float *dst = dx + ((b * g.H + y) * g.W + xx) * g.C;
            for (int64_t c = 0; c < g.C; c++) dst[c] += src[c];
          }
        }
      }
  return NULL;
}

/*
 * copy_runs(heap, src, srcStride, dst, dstStride, count, run): count runs of `run` 32-bit
 * words, the i-th from src + i*srcStride to dst + i*dstStride (slices and concatenations
 * along one axis). Bit-exact: words are moved, not converted.
 */
static napi_value copy_runs(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 6, &a)) return NULL;
  int64_t src = a.v[0], ss = a.v[1], dst = a.v[2], ds = a.v[3], count = a.v[4], run = a.v[5];
  if (count == 0 || run == 0) return NULL;
  if (run > ss && count > 1) { fail(env, "copy_runs: source runs overlap"); return NULL; }
  if (!inside(&a, src, (count - 1) * ss + run) || !inside(&a, dst, (count - 1) * ds + run)) { fail(env, "copy_runs: operand outside the heap"); return NULL; }
  size_t bytes = sizeof(float) * (size_t)run;
  for (int64_t i = 0; i < count; i++) memcpy(a.heap + dst + i * ds, a.heap + src + i * ss, bytes);
  return NULL;
}

/* tanh(heap, x, out, n): out[i] = tanh(x[i]) (libm's tanhf, correctly rounded to a few ulp). */
static napi_value tanh_(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 3, &a)) return NULL;
  int64_t ox = a.v[0], oo = a.v[1], n = a.v[2];
  if (!inside(&a, ox, n) || !inside(&a, oo, n)) { fail(env, "tanh: operand outside the heap"); return NULL; }
  const float *x = a.heap + ox;
  float *o = a.heap + oo;
  for (int64_t i = 0; i < n; i++) o[i] = tanhf(x[i]);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n = 1;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1 || n > 64) {
    fail(env, "setThreads: give an integer from 1 to 64");
    return NULL;
  }
  openblas_set_num_threads(n);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  struct { const char *name; napi_callback fn; } fns[] = {
    { "sgemm", sgemm }, { "im2col", im2col }, { "col2im", col2im }, { "tanh", tanh_ }, { "copyRuns", copy_runs }, { "setThreads", set_threads },
  };
  for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
    napi_value f;
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f);
    napi_set_named_property(env, exports, fns[i].name, f);
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
