# Runs the berth executable and checks its exit status and output.
#   BERTH, ARGS, NO_DISPLAY (unset DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM),
#   EXPECT_STATUS, EXPECT_STDOUT and EXPECT_STDERR (regular expressions).
set(command ${BERTH} ${ARGS})
if(NO_DISPLAY)
    set(command ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY
        --unset=QT_QPA_PLATFORM ${command})
endif()
execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err
    TIMEOUT 60)
message(STATUS "status: ${status}\nstdout: ${out}\nstderr: ${err}")
if(NOT status STREQUAL EXPECT_STATUS)
    message(FATAL_ERROR "expected exit status ${EXPECT_STATUS}, got ${status}")
endif()
if(DEFINED EXPECT_STDOUT AND NOT out MATCHES "${EXPECT_STDOUT}")
    message(FATAL_ERROR "stdout does not match ${EXPECT_STDOUT}")
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
    message(FATAL_ERROR "stderr does not match ${EXPECT_STDERR}")
endif()
