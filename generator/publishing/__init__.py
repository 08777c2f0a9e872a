"""Publishing: the site written beside the output and swapped in; the state kept between builds."""
