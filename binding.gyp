{
  "targets": [
    {
      "target_name": "tsctypes",
      "sources": [
        "native/addon.c",
        "native/callback.c",
        "native/crash.c",
        "native/fastcall.c",
        "native/invoke.c",
        "native/library.c",
        "native/memory.c",
        "native/plan.c",
        "native/trampoline.c",
        "native/util.c",
        "native/v8entry.cc",
        "native/v8typed.cc"
      ],
      "cflags_cc": ["-std=c++17", "-O2", "-fvisibility=hidden", "-fno-exceptions"],
      "cflags_c": ["-std=gnu11"],
      "cflags": ["-O2", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter", "<!@(node scripts/libffi.js --cflags)"],
      "libraries": ["<!@(node scripts/libffi.js --libs)", "-ldl", "-lpthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
