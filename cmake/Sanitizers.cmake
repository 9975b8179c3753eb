# Instrumented builds, each in a build directory of its own (scripts/dev.sh uses build-asan and build-fuzz).
#   MCPWB_SANITIZE: AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer on every target.
#   MCPWB_FUZZ:     the same plus libFuzzer coverage; builds the targets in tests/fuzz (clang only).
# Any sanitizer report ends the process with an error, so ctest sees it as a failure.
option(MCPWB_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(MCPWB_FUZZ "Build the libFuzzer targets in tests/fuzz (clang, implies the sanitizers)" OFF)

if(MCPWB_SANITIZE OR MCPWB_FUZZ)
  set(MCPWB_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${MCPWB_SANITIZER_FLAGS})
  add_link_options(${MCPWB_SANITIZER_FLAGS})
  # For ctest's environment (tests/CMakeLists.txt, tests/fuzz/CMakeLists.txt): leaks are errors, except
  # those suppressed with a reason in tests/sanitizers/lsan.supp.
  set(MCPWB_SANITIZER_ENV
    "ASAN_OPTIONS=detect_leaks=1"
    "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/sanitizers/lsan.supp:print_suppressions=0"
    "UBSAN_OPTIONS=print_stacktrace=1")
endif()

if(MCPWB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MCPWB_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
