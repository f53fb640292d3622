# The hand-written Node-API baseline. Built by bench/run.js with the bench's
# own node-gyp devDependency:
#   node-gyp rebuild --nodedir=<node prefix>    (cwd: bench/napi-addon)
# It links bench/build/libbench.so (which run.js builds first) and records its
# directory as an rpath, so the addon loads it without LD_LIBRARY_PATH.
{
  "targets": [
    {
      "target_name": "bench_napi",
      "sources": ["bench_napi.c"],
      "include_dirs": ["../lib"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "libraries": [
        "-L<(module_root_dir)/../build",
        "-lbench",
        "-Wl,-rpath,<(module_root_dir)/../build"
      ]
    }
  ]
}
