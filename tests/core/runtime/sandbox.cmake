# The container's first process: real containers as root from a busybox-static image.
berth_test(NAME tst_sandbox SOURCES tst_sandbox.cpp sandboxtesting.h
           LIBS berth_runtime berth_store LABEL integration)
berth_test(NAME tst_sandboxsecurity SOURCES tst_sandboxsecurity.cpp sandboxtesting.h
           LIBS berth_runtime berth_store LABEL integration)
berth_test(NAME tst_containeruser SOURCES tst_containeruser.cpp LIBS berth_runtime LABEL unit)
berth_test(NAME tst_rootpath SOURCES tst_rootpath.cpp LIBS berth_runtime LABEL unit)
