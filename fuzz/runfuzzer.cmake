# Runs a libFuzzer binary from a fresh seed corpus; fails on any crash, leak or timeout.
#   cmake -DFUZZER=... -DSEEDS=<dir searched for files named Dockerfile> -DWORK_DIR=...
#         -DSECONDS=60 -P runfuzzer.cmake
# -DSEED_GLOB=<pattern> (say "*.json") takes every file matching it instead, named after its
# path below SEEDS.
foreach(var FUZZER SEEDS WORK_DIR SECONDS)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "runfuzzer.cmake: ${var} is not set")
    endif()
endforeach()
if(NOT EXISTS "${FUZZER}")
    message(FATAL_ERROR "runfuzzer.cmake: ${FUZZER} was not built")
endif()

set(corpus "${WORK_DIR}/corpus")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${corpus}")

# errors/nul-byte/Dockerfile becomes corpus/errors_nul-byte: seeds keep unique names.
if(NOT DEFINED SEED_GLOB)
    set(SEED_GLOB "*Dockerfile")
    set(seed_name "Dockerfile")
endif()
file(GLOB_RECURSE seeds LIST_DIRECTORIES false "${SEEDS}/${SEED_GLOB}")
set(count 0)
foreach(seed IN LISTS seeds)
    get_filename_component(name "${seed}" NAME)
    if(DEFINED seed_name AND NOT name STREQUAL seed_name)
        continue()
    endif()
    file(RELATIVE_PATH rel "${SEEDS}" "${seed}")
    if(DEFINED seed_name)
        get_filename_component(dir "${rel}" DIRECTORY)
    else()
        # valid/oci-index.json becomes corpus/valid_oci-index.json.
        set(dir "${rel}")
    endif()
    string(REPLACE "/" "_" flat "${dir}")
    file(COPY_FILE "${seed}" "${corpus}/${flat}")
    math(EXPR count "${count} + 1")
endforeach()
message(STATUS "fuzzing ${SECONDS} s from ${count} seeds in ${corpus}")

# Temporary files (fuzz_tar extracts there) go with the work dir, removed with it next time.
file(MAKE_DIRECTORY "${WORK_DIR}/tmp")
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env "TMPDIR=${WORK_DIR}/tmp" "${FUZZER}" "${corpus}"
        -max_total_time=${SECONDS} -max_len=65536 -rss_limit_mb=2048 -timeout=10
        -print_final_stats=1 "-artifact_prefix=${WORK_DIR}/"
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${FUZZER} failed (${rc}); the crashing input is in ${WORK_DIR}")
endif()
