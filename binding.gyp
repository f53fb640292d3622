{
  "targets": [
    {
      "target_name": "tsctypes",
      "sources": [
        "native/core/util.c",
        "native/core/library.c",
        "native/core/plan.c",
        "native/core/regcall.c",
        "native/core/thrown.c",
        "native/core/entries.c",
        "native/core/trampoline.c",
        "native/core/callback.c",
        "native/core/foreign.c",
        "native/core/jobs.c",
        "native/core/crash.c",
        "native/core/memory.c",
        "native/core/addon.c"
      ],
      "cflags_c": ["-std=gnu11"],
      "cflags": ["-O2", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter", "<!@(node scripts/libffi.js --cflags)"],
      "libraries": ["<!@(node scripts/libffi.js --libs)", "-ldl", "-lpthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
