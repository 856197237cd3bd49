# Fails when a translations/*.ts file has unfinished or stale (vanished, obsolete) messages, or
# when running lupdate over the sources would add messages to it.
#   LUPDATE, TRANSLATIONS_DIR, SOURCE_DIRS (;-list), WORK_DIR
file(GLOB ts_files ${TRANSLATIONS_DIR}/*.ts)
if(NOT ts_files)
    message(FATAL_ERROR "no .ts file in ${TRANSLATIONS_DIR}")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# Counts the messages of `ts` whose translation has a type in `types`, and prints their source.
function(report_messages ts types out_count)
    file(READ ${ts} content)
    string(REGEX MATCHALL "<translation[^>]*type=\"(${types})\"" bad "${content}")
    list(LENGTH bad count)
    string(REGEX MATCHALL "<source>[^<]*</source>[^<]*(<[a-z]*comment>[^<]*</[a-z]*comment>[^<]*)*<translation[^>]*type=\"(${types})\""
        described "${content}")
    foreach(entry IN LISTS described)
        string(REGEX REPLACE "^<source>([^<]*)</source>.*type=\"([a-z]+)\"$" "  \\2: \\1" line "${entry}")
        message("${line}")
    endforeach()
    set(${out_count} ${count} PARENT_SCOPE)
endfunction()

set(failed FALSE)
foreach(ts IN LISTS ts_files)
    get_filename_component(name ${ts} NAME)
    file(READ ${ts} content)
    string(REGEX MATCHALL "<message[ >]" messages "${content}")
    list(LENGTH messages message_count)
    if(message_count EQUAL 0)
        message("${name}: no messages at all")
        set(failed TRUE)
    endif()

    string(REGEX MATCHALL "<translation></translation>|<numerusform></numerusform>" empty "${content}")
    list(LENGTH empty empty_count)
    if(empty_count GREATER 0)
        message("${name}: ${empty_count} empty translation(s)")
        set(failed TRUE)
    endif()

    report_messages(${ts} "unfinished|vanished|obsolete" stale)
    if(stale GREATER 0)
        message("${name}: ${stale} message(s) above are unfinished or stale")
        set(failed TRUE)
    endif()

    # lupdate on a copy: new source strings appear as unfinished, removed ones as vanished.
    set(copy ${WORK_DIR}/${name})
    file(COPY_FILE ${ts} ${copy})
    execute_process(COMMAND ${LUPDATE} -extensions cpp,h -locations none ${SOURCE_DIRS} -ts ${copy}
        RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "lupdate failed (${status}):\n${out}${err}")
    endif()
    report_messages(${copy} "unfinished|vanished|obsolete" drift)
    if(drift GREATER 0)
        message("${name}: out of date with the sources (${drift} message(s) above); run the "
                "update_translations target and translate the new strings")
        set(failed TRUE)
    endif()
    message(STATUS "${name}: ${message_count} messages checked")
endforeach()

if(failed)
    message(FATAL_ERROR "translations are incomplete or out of date")
endif()
