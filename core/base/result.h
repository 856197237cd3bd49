#pragma once

#include "base/error.h"

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace Berth {

// The error side of an Expected, so that `return fail(err);` reads well.
template<class E> class Unexpected
{
public:
    explicit Unexpected(E error)
        : m_error(std::move(error))
    {}
    E &error() & { return m_error; }
    E &&error() && { return std::move(m_error); }

private:
    E m_error;
};

template<class E> Unexpected(E) -> Unexpected<E>;

inline Unexpected<Error> fail(Error error)
{
    return Unexpected<Error>(std::move(error));
}
inline Unexpected<Error> fail(ErrorCode code, std::string message)
{
    return Unexpected<Error>(Error(code, std::move(message)));
}

// A value or an error, like C++23 std::expected (not available in C++20).
template<class T, class E> class Expected
{
public:
    using value_type = T;
    using error_type = E;

    Expected() requires std::is_default_constructible_v<T> : m_data(std::in_place_index<0>) {}
    template<class U = T>
    requires std::is_constructible_v<T, U &&> &&
        (!std::is_same_v<std::remove_cvref_t<U>, Expected>)&&(
            !std::is_same_v<std::remove_cvref_t<U>, Unexpected<E>>)Expected(U &&value)
        : m_data(std::in_place_index<0>, std::forward<U>(value))
    {}
    template<class G>
    Expected(Unexpected<G> unexpected)
        : m_data(std::in_place_index<1>, std::move(unexpected).error())
    {}

    bool has_value() const { return m_data.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T &value() & { return assertValue(), std::get<0>(m_data); }
    const T &value() const & { return assertValue(), std::get<0>(m_data); }
    T &&value() && { return assertValue(), std::get<0>(std::move(m_data)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    template<class U> T value_or(U &&fallback) const &
    {
        return has_value() ? std::get<0>(m_data) : static_cast<T>(std::forward<U>(fallback));
    }

    E &error() & { return assertError(), std::get<1>(m_data); }
    const E &error() const & { return assertError(), std::get<1>(m_data); }
    E &&error() && { return assertError(), std::get<1>(std::move(m_data)); }

private:
    void assertValue() const { assert(has_value() && "Expected holds an error"); }
    void assertError() const { assert(!has_value() && "Expected holds a value"); }
    std::variant<T, E> m_data;
};

template<class E> class Expected<void, E>
{
public:
    using value_type = void;
    using error_type = E;

    Expected() = default;
    template<class G>
    Expected(Unexpected<G> unexpected)
        : m_error(std::move(unexpected).error())
        , m_failed(true)
    {}

    bool has_value() const { return !m_failed; }
    explicit operator bool() const { return has_value(); }
    void value() const { assert(has_value()); }
    E &error() & { return assert(m_failed), m_error; }
    const E &error() const & { return assert(m_failed), m_error; }
    E &&error() && { return assert(m_failed), std::move(m_error); }

private:
    E m_error{};
    bool m_failed = false;
};

template<class T = void> using Result = Expected<T, Error>;

} // namespace Berth
