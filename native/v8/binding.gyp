{
  # The V8 accelerator, built per V8 version with that Node's headers (scripts/build-native.js
  # runs it and files the result under build/accelerators/v8-MAJOR.MINOR/).
  "targets": [
    {
      "target_name": "tsctypes_v8",
      "sources": ["attach.cc", "entry.cc", "held.cc", "typed.cc"],
      "include_dirs": ["../core"],
      "cflags_cc": ["-std=gnu++20", "-O2", "-fvisibility=hidden", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      # (no C++ runtime library: nothing here needs one, and without it the accelerator loads
      # wherever the core does; function-local statics are made on the JS thread only)
      "ldflags": ["-Wl,--as-needed"],
      "cflags": ["-O2", "-fvisibility=hidden", "<!@(node ../../scripts/libffi.js --cflags)"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
