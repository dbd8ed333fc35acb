"""What the contracts API views share."""


def payload(serializer_class, request, **kwargs) -> dict:
    """The request's data, validated by ``serializer_class`` (a 400 with field messages if not)."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
