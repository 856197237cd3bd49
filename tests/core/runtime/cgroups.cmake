# cgroup tests: fake v1/v2/hybrid layouts and a fake v2 tree (unit), real cgroups on this
# kernel as root (integration).
berth_test(NAME tst_cgroupmode SOURCES tst_cgroupmode.cpp LIBS berth_runtime LABEL unit)
berth_test(NAME tst_cgroupv2fake SOURCES tst_cgroupv2fake.cpp LIBS berth_runtime LABEL unit)
berth_test(NAME tst_cgroup SOURCES tst_cgroup.cpp LIBS berth_runtime LABEL integration)
