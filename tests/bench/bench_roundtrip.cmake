# bench_roundtrip: echo latency of ClientSession + transport vs a raw client against server-everything.
# Core only (no GUI), so it is built in every configuration; like every benchmark it is not a ctest test
# (see RESULTS.md for how to run it).
add_executable(bench_roundtrip ${CMAKE_CURRENT_LIST_DIR}/bench_roundtrip.cpp)
target_link_libraries(bench_roundtrip PRIVATE mcptestsupport)
set_target_properties(bench_roundtrip PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/bench)
