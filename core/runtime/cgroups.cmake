# cgroups: limits, stats, freezer, OOM and cleanup on cgroup v1, v2 and the hybrid mix.
target_sources(berth_runtime PRIVATE
    cgroupmode.cpp
    cgroupmode.h
    cgroupfs.cpp
    cgroupfs.h
    cgroup.cpp
    cgroup.h
    cgroupcontrol.cpp
    cgrouplimits.cpp
    cgroupstats.cpp
    cgroupstats.h
)
